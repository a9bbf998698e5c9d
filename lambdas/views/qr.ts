import QRCode from 'qrcode';

/**
 * A survey link as a QR code, in SVG (print) and PNG (chat, slides). Error correction M (15%) survives a
 * scuffed table card while keeping a short link at a small version; a 4-module quiet zone as the spec asks.
 */
export async function qrCodes(url: string): Promise<{ svg: string; png: string }> {
  const options = { errorCorrectionLevel: 'M', margin: 4 } as const;
  const [svg, png] = await Promise.all([
    QRCode.toString(url, { ...options, type: 'svg' }),
    QRCode.toBuffer(url, { ...options, type: 'png', width: 512 }),
  ]);
  return { svg, png: png.toString('base64') };
}
