// renderInvoicePdf: input in, PDF bytes out. No I/O (fonts are read once when fonts.ts loads).
import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { FONTS } from './fonts';
import { TITLES } from './labels';
import { PAGE, planInvoice } from './layout';
import type { InvoicePdfInput, RenderOptions } from './types';

/**
 * The moment the document is dated by: issue date and time, read as UTC. The PDF of an issued invoice must never
 * change, so every date inside it (Info, XMP, attachments) and the file ID (an MD5 of the Info dictionary) derive
 * from the invoice, never from the clock.
 */
function documentDate(doc: InvoicePdfInput): Date {
  const time = doc.issue_time && /^\d{2}:\d{2}(:\d{2})?$/.test(doc.issue_time) ? doc.issue_time : '00:00:00';
  const date = new Date(`${doc.issue_date}T${time.length === 5 ? `${time}:00` : time}Z`);
  if (Number.isNaN(date.getTime()))
    throw new RangeError(`Invalid issue date/time: ${doc.issue_date} ${doc.issue_time ?? ''}`);
  return date;
}

/** pdfkit copies Info strings into the XMP packet unescaped; keep characters that would break the XML out. */
function metadataText(value: string): string {
  return value.replace(/[<>&]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Zlib level of the page content streams. pdfkit deflates every stream at zlib's default (6); a page's operators,
 * a third of them the QR code's module runs, compress at level 1 in a third of the time for ~20% more bytes
 * (one-page invoice with a Phase 2 QR: 60 kB of operators, 12.0 → 14.9 kB, ~1.1 → ~0.35 ms).
 */
const CONTENT_DEFLATE_LEVEL = 1;

/**
 * Collects a page's content-stream operators and hands them to the page as one deflated chunk when the page is
 * done: pdfkit would otherwise make a Uint8Array of every operator line (thousands per page), concatenate them
 * and deflate at its default level. The text is the same: the lines joined by the newline pdfkit appends to each.
 * endPage() before the next addPage(), finish() when the drawing is done.
 */
function pageContentWriter(pdf: PDFKit.PDFDocument): { endPage(): void; finish(): void } {
  const original = pdf.addContent;
  let lines: string[] = [];
  const endPage = () => {
    if (lines.length === 0) return;
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'latin1');
    lines = [];
    const content = pdf.page.content;
    content.compress = false;
    (content.data as { Filter?: string }).Filter = 'FlateDecode';
    content.write(deflateSync(bytes, { level: CONTENT_DEFLATE_LEVEL }));
  };
  pdf.addContent = (data: unknown) => {
    // pdfkit passes strings; bytes (never seen) are kept in order as the same characters.
    lines.push(typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('latin1'));
    return pdf;
  };
  return {
    endPage,
    finish() {
      endPage();
      pdf.addContent = original;
    },
  };
}

/**
 * Sets the fill colour only when it changes. Text blocks set their colour before every block, and pdfkit writes it
 * out each time (colour space and three 18-digit fractions); a page repeated the same few colours ~180 times. The
 * colour last set is tracked like the PDF graphics state: save() (q) keeps it, restore() (Q) brings it back, and
 * a new page starts from the default.
 */
function skipRepeatedFillColors(pdf: PDFKit.PDFDocument): void {
  const fillColor = pdf.fillColor.bind(pdf);
  const save = pdf.save.bind(pdf);
  const restore = pdf.restore.bind(pdf);
  let current: unknown;
  const saved: unknown[] = [];
  pdf.fillColor = (color: PDFKit.Mixins.ColorValue, opacity?: number) => {
    if (opacity !== undefined || typeof color !== 'string') current = undefined;
    else if (color === current) return pdf;
    else current = color;
    return fillColor(color, opacity);
  };
  pdf.save = () => {
    saved.push(current);
    return save();
  };
  pdf.restore = () => {
    current = saved.pop();
    return restore();
  };
  pdf.on('pageAdded', () => {
    current = undefined;
    saved.length = 0;
  });
}

export async function renderInvoicePdf(doc: InvoicePdfInput, options: RenderOptions = {}): Promise<Buffer> {
  const plan = planInvoice(doc);
  const date = documentDate(doc);
  const title = TITLES[doc.type];
  const creator = options.creator ?? 'InvoiceFlow';

  const pdf = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: false,
    // No default font: pdfkit would otherwise load Helvetica, which PDF/A forbids unembedded.
    font: '',
    pdfVersion: '1.7',
    subset: doc.pdfa3 ? 'PDF/A-3b' : undefined,
    lang: options.lang ?? 'en',
    displayTitle: true,
    info: {
      Title: metadataText(`${title.en} ${doc.number}`),
      Author: metadataText(doc.seller.name_en ?? doc.seller.name_ar ?? ''),
      Subject: metadataText(`${title.en} / ${title.ar} ${doc.number}`),
      Creator: creator,
      Producer: creator,
      CreationDate: date,
      ModDate: date,
    },
  });
  pdf.registerFont('regular', FONTS.regular.pdfkitSource);
  pdf.registerFont('bold', FONTS.bold.pdfkitSource);

  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });

  // Everything below is synchronous: the shared fonts' direction state (see fonts.ts) cannot interleave with
  // another render.
  const pageContent = pageContentWriter(pdf);
  skipRepeatedFillColors(pdf);
  for (const [pageIndex, page] of plan.pages.entries()) {
    pageContent.endPage();
    pdf.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    plan.drawPageFrame(pdf, pageIndex);
    for (const item of page.items) item.block.draw(pdf, item.y);
  }
  pageContent.finish();

  for (const attachment of doc.attachments ?? []) {
    const content = Buffer.from(
      attachment.content.buffer,
      attachment.content.byteOffset,
      attachment.content.byteLength,
    );
    // pdfkit's typings miss AFRelationship ("relationship"), required by PDF/A-3 for associated files.
    const fileOptions: PDFKit.Mixins.PDFAttachmentOptions & { relationship: string } = {
      name: attachment.name,
      type: attachment.mime,
      description: attachment.description ?? attachment.name,
      relationship: attachment.relationship ?? 'Data',
      creationDate: date,
      modifiedDate: date,
    };
    pdf.file(content, fileOptions);
  }

  if (doc.pdfa3) {
    // pdfkit writes xmp:CreateDate but not ModifyDate or MetadataDate; PDF/A wants Info and XMP to agree.
    const iso = `${date.toISOString().split('.')[0]}Z`;
    pdf.appendXML(`
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:ModifyDate>${iso}</xmp:ModifyDate>
            <xmp:MetadataDate>${iso}</xmp:MetadataDate>
        </rdf:Description>
        `);
  }

  pdf.end();
  return finished;
}
