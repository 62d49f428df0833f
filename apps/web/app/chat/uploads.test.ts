import { describe, expect, it } from 'vitest';
import { draftReducer, formatBytes, isBusy, sendableIds, type AttachmentView, type DraftFile } from './uploads';

const attachment = (id: string, status: AttachmentView['status'] = 'ready') =>
  ({ id, type: 'document', name: 'a.pdf', mimeType: 'application/pdf', size: 10, status, failure: null, hasThumbnail: false, width: null, height: null, messageId: null, createdAt: new Date() }) as AttachmentView;

describe('the composer files', () => {
  it('goes from uploading to processing to ready, and only ready or read files are sent', () => {
    let files: DraftFile[] = [];
    files = draftReducer(files, { type: 'add', key: 'a', name: 'notes.pdf', size: 2048 });
    files = draftReducer(files, { type: 'add', key: 'b', name: 'virus.exe', size: 10 });
    files = draftReducer(files, { type: 'progress', key: 'a', progress: 0.5 });
    expect(files[0]).toMatchObject({ progress: 0.5, attachment: null });
    expect(files.some(isBusy)).toBe(true);
    files = draftReducer(files, { type: 'uploaded', key: 'a', attachment: attachment('id-a', 'processing') });
    files = draftReducer(files, { type: 'refused', key: 'b', reason: 'wrong-type', details: {} });
    expect(files.some(isBusy)).toBe(true);
    files = draftReducer(files, { type: 'uploaded', key: 'a', attachment: attachment('id-a', 'ready') });
    expect(files.some(isBusy)).toBe(false);
    expect(sendableIds(files)).toEqual(['id-a']);
    expect(draftReducer(files, { type: 'remove', key: 'a' }).map((file) => file.key)).toEqual(['b']);
  });

  it('writes sizes for people, in their language', () => {
    expect(formatBytes(512, 'en')).toBe('512 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(25 * 1024 * 1024, 'tr')).toBe('25 MB');
    expect(formatBytes(1536, 'tr')).toBe('1,5 KB');
  });
});
