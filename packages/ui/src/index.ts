export { trpc, TrpcProvider } from './trpc';
export {
  createTranslator,
  I18nProvider,
  useLanguage,
  useT,
  type LoadedCatalog,
  type Translate,
  type TranslateVars,
} from './i18n/i18n';
export { commonCatalog, type CommonMessages } from './i18n/common';
export { acceptedLanguage, LANGUAGE_COOKIE, languageCookie, resolveLanguage, switchLanguage } from './i18n/language';
export {
  defaultLanguage,
  isLanguage,
  languageNames,
  languages,
  type Catalog,
  type Language,
  type MessageKey,
  type Messages,
} from './i18n/messages';
export { AppShell, NavItem, type AppShellProps } from './components/AppShell';
export { ErrorView } from './components/ErrorView';
export { NonceProvider, useNonce } from './security/nonce';
export { HealthBadge } from './components/HealthBadge';
export { LanguageSwitcher } from './components/LanguageSwitcher';
export { ThemeSwitcher } from './components/ThemeSwitcher';
export { useSaveLook } from './components/use-save-look';
export {
  isTheme,
  nextTheme,
  resolveTheme,
  switchTheme,
  THEME_COOKIE,
  themeCookie,
  themes,
  type Theme,
} from './i18n/theme';
export { Logo } from './components/Logo';
export { buttonClass, type ButtonVariant } from './components/button-class';
export {
  Button,
  CheckboxField,
  ErrorSummary,
  Notice,
  Panel,
  SelectField,
  TextField,
  useFocusOnChange,
} from './components/forms';
export { LocalTime, useFormatDateTime, useHydrated } from './components/LocalTime';
export { SessionWatch } from './components/SessionWatch';
export { SSO_REASONS, SsoButtons, ssoReason, type SsoProvider, type SsoReason } from './components/SsoButtons';
export { UserMenu, type UserMenuUser } from './components/UserMenu';
export { describeIssue, type FieldIssue, type Refusal, type RefusalCode } from './forms/issues';
export { isLostAccess, leaveForSignIn, signInAgainPath } from './session/lost-access';
export { Markdown, usePreloadMarkdown } from './markdown/LazyMarkdown';
export { CopyButton } from './markdown/CopyButton';
