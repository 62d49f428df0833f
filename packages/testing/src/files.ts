import { Document, Packer, Paragraph } from 'docx';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';

/**
 * Real documents made in the test, for upload and extraction tests: a PDF with a text layer, a
 * "scanned" PDF (pictures of text, no text layer) and a Word document.
 */
export async function pdfWithText(lines: readonly string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  lines.forEach((line, index) => page.drawText(line, { x: 50, y: 780 - index * 20, size: 12, font }));
  return Buffer.from(await pdf.save());
}

/** A page with only drawn shapes: what a scanner produces without OCR. */
/** A long PDF with a text layer: `pages` pages of `linesPerPage` numbered lines (slow enough to read to stop a server mid-way). */
export async function pdfWithPages(pages: number, linesPerPage = 40): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= pages; p++) {
    const page = pdf.addPage([595, 842]);
    for (let l = 0; l < linesPerPage; l++) page.drawText(`Page ${p}, line ${l + 1}: the lecture goes on about entropy and heat.`, { x: 40, y: 800 - l * 19, size: 10, font });
  }
  return Buffer.from(await pdf.save());
}

export async function pdfWithoutText(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  for (let i = 0; i < 10; i++) page.drawRectangle({ x: 50, y: 700 - i * 30, width: 400, height: 12, color: rgb(0.1, 0.1, 0.1) });
  return Buffer.from(await pdf.save());
}

export async function docxWithText(paragraphs: readonly string[]): Promise<Buffer> {
  const document = new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph(text)) }] });
  return Packer.toBuffer(document);
}
