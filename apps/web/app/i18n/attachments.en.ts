/** Attachments in the composer and the conversation (`web.attachments.*`). */
export const en = {
  attachments: {
    attach: 'Attach files',
    attachHint: 'PDF, Word, text, Markdown, CSV, code, or pictures. You can also drop files here or paste a picture.',
    dropHere: 'Drop files to attach them',
    remove: 'Remove {{name}}',
    uploading: 'Uploading… {{percent}}%',
    processing: 'Reading…',
    ready: 'Ready',
    failed: 'Could not read',
    download: 'Download {{name}}',
    listLabel: 'Attached files',
    image: 'Picture: {{name}}',
    generated: 'Generated picture',
    tooMany: 'At most {{max}} files can go with one message.',
    waitForUploads: 'Wait until your files are uploaded and read.',
    storage: 'Files: {{used}} of {{quota}} used',
    storageUnlimited: 'Files: {{used}} used',
    failure: {
      'no-text-layer': 'This PDF has no text layer (it looks scanned), so its text cannot be read.',
      empty: 'This document has no text.',
      unreadable: 'This document could not be read.',
    },
    error: {
      'too-large': '“{{name}}” is too large: at most {{max}} for this kind of file.',
      'wrong-type': '“{{name}}” cannot be attached: only PDF, Word, text, Markdown, CSV and code files, and PNG, JPEG, WebP or GIF pictures.',
      'over-quota': '“{{name}}” does not fit in your file storage ({{used}} of {{quota}} used). Delete older chats with files to make room.',
      'not-permitted': 'Attaching this kind of file (“{{name}}”) is turned off for your account.',
      empty: '“{{name}}” is empty.',
      failed: '“{{name}}” could not be uploaded. Try again.',
    },
  },
};
