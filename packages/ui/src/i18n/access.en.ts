/** Shared strings for forms and the signed-in user's menu, merged into the common catalog. */
export const accessEn = {
  form: {
    errorSummary: 'There is a problem',
    required: 'This field is required.',
    tooShort: 'Use at least {{min}} characters.',
    tooLong: 'Use at most {{max}} characters.',
    email: 'Enter a valid email address.',
    mismatch: 'The two passwords do not match.',
    invalid: 'This value is not valid.',
    optional: 'optional',
  },
  account: {
    menu: 'Account menu for {{name}}',
    signOut: 'Sign out',
    signIn: 'Sign in',
  },
  roles: {
    student: 'Student',
    staff: 'Staff',
    admin: 'Administrator',
  },
  sso: {
    heading: 'Single sign-on',
    or: 'or with a username and password',
    signInWith: 'Sign in with {{name}}',
    errors: {
      invalid: 'The answer from your identity provider could not be verified, so you were not signed in. Please try again; if it keeps happening, tell the IT help desk.',
      expired: 'That sign-in took too long or was already used. Please start again.',
      replayed: 'That sign-in answer was already used. Please start again.',
      not_allowed: 'Your university account is not permitted to use this service.',
      admin_only: 'Only administrators can sign in here.',
      suspended: 'This account is suspended. Contact an administrator if you think this is a mistake.',
      unavailable: 'Your identity provider cannot be reached right now. Please try again in a few minutes.',
    },
  },
};
