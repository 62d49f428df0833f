export {
  API_KEY_PREFIX,
  apiKeyHash,
  apiKeyState,
  createApiKey,
  generateApiKey,
  looksLikeApiKey,
  revokeApiKey,
  validateApiKey,
  type ApiKeyState,
  type ValidApiKey,
  type NewApiKey,
} from './apiKeys';
export { recordAudit } from './audit';
export { readAuthEnv, type AuthEnv } from './env';
export { listIdentities, LOCAL_ISSUER, recordIdentity } from './identities';
export { createInvite, listInvites, normalizeInviteCode, registerWithInvite, revokeInvite, type Registration } from './invites';
export {
  authenticateWithLdap,
  DEFAULT_RECHECK_INTERVAL_MS,
  ldapConfigFromEnv,
  LdapAuthError,
  lookUpLdapUser,
  roleForGroups,
  type LdapConfig,
  type LdapIdentity,
} from './ldap';
export { directoryRecheckDue, recheckDirectoryUser, type DirectoryRecheck } from './directory-recheck';
export { changePassword, reauthenticate, signIn, type SignInDeps, type SignInInput } from './login';
export { hashPassword, verifyPassword } from './password';
export { applyDirectoryRole, type DirectoryRoleDecision } from './role-source';
export * from './sso';
export * from './schemas';
export {
  createSession,
  deleteExpiredSessions,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  SESSION_POLICY,
  sessionIdFromToken,
  validateSessionToken,
  type Clock,
} from './sessions';
export { clearFailedLogins, THROTTLE_POLICY } from './throttle';
export { assertNotBanned, isBanActive } from './bans';
export {
  assertKeepsAnAdmin,
  getUser,
  liftExpiredBans,
  returnRoleToDirectory,
  searchUsers,
  setUserBanned,
  setUserRole,
  setUserSetting,
  type BanChange,
  type UserSearch,
} from './users';
