import PDFDocument from 'pdfkit';

/**
 * The size in pixels of a logo as the renderer will read it, or undefined when pdfkit cannot read the image
 * (a truncated or malformed PNG or JPEG): checked at upload, so a stored logo never fails a render later.
 */
export function logoImageSize(bytes: Buffer): { width: number; height: number } | undefined {
  try {
    // openImage is pdfkit's own reader (the one image() uses), missing from its type declarations.
    const doc = new PDFDocument({ autoFirstPage: false }) as unknown as {
      openImage(src: Buffer): { width: number; height: number };
    };
    const image = doc.openImage(bytes);
    if (!Number.isInteger(image.width) || !Number.isInteger(image.height)) return undefined;
    return { width: image.width, height: image.height };
  } catch {
    return undefined;
  }
}
