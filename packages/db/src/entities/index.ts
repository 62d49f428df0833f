import type { Options } from '@mikro-orm/core';
import { AiIdentity } from './AiIdentity';
import { AnswerCache } from './AnswerCache';
import { ApiKey } from './ApiKey';
import { ApiSettings } from './ApiSettings';
import { ApiUsageDaily } from './ApiUsageDaily';
import { Attachment } from './Attachment';
import { AuditEvent } from './AuditEvent';
import { CacheSettings } from './CacheSettings';
import { Conversation } from './Conversation';
import { DataExport } from './DataExport';
import { ConversationSummary } from './ConversationSummary';
import { Feedback } from './Feedback';
import { Identity } from './Identity';
import { FileChunk, FileObject } from './FileObject';
import { Invite } from './Invite';
import { LoginThrottle } from './LoginThrottle';
import { Message } from './Message';
import { Model } from './Model';
import { ModelRateLimit } from './ModelRateLimit';
import { Preset } from './Preset';
import { Session } from './Session';
import { SharedSnapshot, ShareSettings } from './SharedSnapshot';
import { StorageQuota, StorageUsage } from './Storage';
import { SamlAssertionSeen, SsoRequest } from './SsoRequest';
import { SummarySettings } from './SummarySettings';
import { RetentionSettings } from './RetentionSettings';
import { TokenLease } from './TokenLease';
import { TransparencySettings } from './TransparencySettings';
import { MemorySettings } from './MemorySettings';
import { UsageDaily } from './UsageDaily';
import { UsageMonthly } from './UsageMonthly';
import { User } from './User';
import { UserPreference } from './UserPreference';

export * from './common';
export * from './AiIdentity';
export * from './AnswerCache';
export * from './ApiKey';
export * from './ApiSettings';
export * from './ApiUsageDaily';
export * from './Attachment';
export * from './AuditEvent';
export * from './CacheSettings';
export * from './Conversation';
export * from './DataExport';
export * from './ConversationSummary';
export * from './Feedback';
export * from './Identity';
export * from './FileObject';
export * from './Invite';
export * from './LoginThrottle';
export * from './Message';
export * from './Model';
export * from './ModelRateLimit';
export * from './Preset';
export * from './Session';
export * from './SharedSnapshot';
export * from './Storage';
export * from './SsoRequest';
export * from './SummarySettings';
export * from './RetentionSettings';
export * from './TokenLease';
export * from './TransparencySettings';
export * from './MemorySettings';
export * from './UsageDaily';
export * from './UsageMonthly';
export * from './User';
export * from './UserPreference';

/**
 * Every entity, for the ORM's configuration. Typed as the option it feeds: the inferred tuple of
 * every `defineEntity` type is too long for the compiler to write into a declaration (TS7056).
 */
export const entities: NonNullable<Options['entities']> = [
  DataExport,
  User,
  UserPreference,
  Preset,
  Session,
  Invite,
  Conversation,
  Message,
  Attachment,
  ConversationSummary,
  SummarySettings,
  RetentionSettings,
  AnswerCache,
  CacheSettings,
  UsageDaily,
  UsageMonthly,
  TokenLease,
  Feedback,
  AiIdentity,
  Model,
  ModelRateLimit,
  AuditEvent,
  LoginThrottle,
  Identity,
  SsoRequest,
  SamlAssertionSeen,
  FileObject,
  FileChunk,
  StorageQuota,
  StorageUsage,
  ApiKey,
  ApiSettings,
  ApiUsageDaily,
  SharedSnapshot,
  ShareSettings,
  TransparencySettings,
  MemorySettings,
];
