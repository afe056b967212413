import QRCode from 'qrcode';
import { useMemo } from 'react';

/**
 * A QR code about `size` pixels wide, drawn as SVG from the `qrcode` library's module matrix: crisp at any size, no canvas, no markup
 * strings. The quiet zone of four modules is part of the symbol (ISO/IEC 18004 §6.3.8), so a phone reads it on
 * any background.
 */
export function QrCode({ value, label, size = 176 }: { value: string; label: string; size?: number }) {
  const { path, extent } = useMemo(() => {
    const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
    const quiet = 4;
    let d = '';
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) d += `M${col + quiet} ${row + quiet}h1v1h-1z`;
      }
    }
    return { path: d, extent: modules.size + quiet * 2 };
  }, [value]);
  // A whole number of screen pixels per module: a scaled module blurs at its edges, which a reader may misread.
  const pixels = extent * Math.max(2, Math.round(size / extent));
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={label}
      width={pixels}
      height={pixels}
      viewBox={`0 0 ${extent} ${extent}`}
      shapeRendering="crispEdges"
      data-testid="einvoice-qr"
    >
      <rect width={extent} height={extent} fill="#ffffff" />
      <path d={path} fill="#000000" />
    </svg>
  );
}
