// Renders the sample bilingual invoice and converts page 1 to PNG for a visual check:
//   npx tsx packages/pdf/render-sample.ts /tmp/invoice-sample.png [long]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { renderInvoicePdf } from './src/index';
import { longInvoice, sampleInvoice } from './src/test-support/sample-invoice';

/** A simple two-colour logo so the sample shows where a real one goes. */
function sampleLogo(): Buffer {
  const png = new PNG({ width: 180, height: 80 });
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (png.width * y + x) << 2;
      const inMark = (x - 40) ** 2 + (y - 40) ** 2 < 30 ** 2;
      const inBar = x > 80 && x < 170 && ((y > 22 && y < 34) || (y > 46 && y < 58));
      const [r, g, b] = inMark ? [15, 76, 129] : inBar ? [46, 139, 87] : [255, 255, 255];
      png.data[i] = r;
      png.data[i + 1] = g;
      png.data[i + 2] = b;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

const output = process.argv[2] ?? '/tmp/invoice-sample.png';
const input = process.argv[3] === 'long' ? longInvoice(200) : sampleInvoice({ logo: sampleLogo() });
const pdf = await renderInvoicePdf(input);
const pdfPath = `${output.replace(/\.png$/, '')}.pdf`;
writeFileSync(pdfPath, pdf);
// pdftoppm appends "-1" etc. unless -singlefile; write page 1 to exactly the path asked for.
execFileSync('pdftoppm', [
  '-r',
  '110',
  '-png',
  '-f',
  '1',
  '-l',
  '1',
  '-singlefile',
  pdfPath,
  output.replace(/\.png$/, ''),
]);
console.log(`${pdfPath} (${pdf.length} bytes) → ${output}`);
