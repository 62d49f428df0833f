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
import { StorageQuota, StorageUsage } from './Storage';
import { SamlAssertionSeen, SsoRequest } from './SsoRequest';
import { SummarySettings } from './SummarySettings';
import { TokenLease } from './TokenLease';
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
export * from './Storage';
export * from './SsoRequest';
export * from './SummarySettings';
export * from './TokenLease';
export * from './UsageDaily';
export * from './UsageMonthly';
export * from './User';
export * from './UserPreference';

export const entities = [
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
];
