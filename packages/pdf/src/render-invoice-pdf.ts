// renderInvoicePdf: input in, PDF bytes out. No I/O (fonts are read once when fonts.ts loads).
import PDFDocument from 'pdfkit';
import { withoutBidiControls } from './bidi-input';
import { FONTS } from './fonts';
import { TITLES } from './labels';
import { latinOf } from './languages';
import { issuerOf, PAGE, planInvoice } from './layout';
import { collectPageContent, deflateStreams, skipRepeatedFillColors } from './pdf-output';
import type { InvoicePdfInput, RenderOptions } from './types';

/**
 * The moment the document is dated by: the issue instant (UTC), or for an input without one the issue date and
 * time as given. The PDF of an issued invoice must never
 * change, so every date inside it (Info, XMP, attachments) and the file ID (an MD5 of the Info dictionary) derive
 * from the invoice, never from the clock.
 */
function documentDate(doc: InvoicePdfInput): Date {
  if (doc.issued_at !== undefined) {
    const issued = new Date(doc.issued_at);
    if (Number.isNaN(issued.getTime())) throw new RangeError(`Invalid issue instant: ${doc.issued_at}`);
    // PDF dates have whole seconds; the metadata and the file ID stay the same on every render.
    return new Date(Math.floor(issued.getTime() / 1000) * 1000);
  }
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

export async function renderInvoicePdf(input: InvoicePdfInput, options: RenderOptions = {}): Promise<Buffer> {
  const doc = withoutBidiControls(input);
  const plan = planInvoice(doc);
  const date = documentDate(doc);
  const title = TITLES[doc.type];
  const titleText = doc.bilingual === false ? latinOf(title, doc.language) : title.en;
  const creator = options.creator ?? 'InvoiceFlow';

  const pdf = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: false,
    // No default font: pdfkit would otherwise load Helvetica, which PDF/A forbids unembedded.
    font: '',
    pdfVersion: '1.7',
    subset: doc.pdfa3 ? 'PDF/A-3b' : undefined,
    lang: options.lang ?? (doc.bilingual === false ? doc.language : undefined) ?? 'en',
    displayTitle: true,
    info: {
      Title: metadataText(`${titleText} ${doc.number}`),
      Author: metadataText(issuerOf(doc).name_en ?? issuerOf(doc).name_ar ?? ''),
      Subject: metadataText(
        doc.bilingual === false ? `${titleText} ${doc.number}` : `${title.en} / ${title.ar} ${doc.number}`,
      ),
      Creator: creator,
      Producer: creator,
      CreationDate: date,
      ModDate: date,
    },
  });
  deflateStreams(pdf);
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
  const pageContent = collectPageContent(pdf);
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
