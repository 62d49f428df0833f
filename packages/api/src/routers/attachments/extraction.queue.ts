import { Attachment, type EntityManager } from '@atrium/db';
import type { FileStore } from '../../files';
import { extractAttachment } from './attachments.service';

/**
 * Runs document text extraction in the background, one document at a time per process. The
 * work to do is the database itself (attachments still `processing`), so nothing is lost when a
 * process stops mid-job: `resume()` at start-up picks up every unfinished document, and
 * extraction is idempotent, so a document two processes both pick up ends the same.
 */
export class ExtractionQueue {
  private pending: string[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly em: EntityManager,
    private readonly files: FileStore,
    private readonly log: (message: string, error: unknown) => void = (message, error) => console.error(message, error),
  ) {}

  enqueue(attachmentId: string) {
    if (this.stopped || this.pending.includes(attachmentId)) return;
    this.pending.push(attachmentId);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Queues every document an earlier process left unfinished. */
  async resume() {
    const unfinished = await this.em.fork().find(Attachment, { type: 'document', status: 'processing' }, { fields: ['id'], orderBy: { createdAt: 'asc' } });
    for (const { id } of unfinished) this.enqueue(id);
    return unfinished.length;
  }

  /** Resolves when nothing is queued or running (tests, shutdown). */
  async idle() {
    while (this.running) await this.running;
  }

  /** Stops taking work; the job in hand finishes, queued ones stay `processing` for the next start. */
  async stop() {
    this.stopped = true;
    this.pending = [];
    await this.idle();
  }

  private async drain() {
    for (let id = this.pending.shift(); id !== undefined && !this.stopped; id = this.pending.shift()) {
      try {
        await extractAttachment(this.em.fork(), this.files, id);
      } catch (error) {
        // Left `processing`: the next start-up tries again.
        this.log(`[attachments] extracting text of ${id} failed:`, error);
      }
    }
  }
}
