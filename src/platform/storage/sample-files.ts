// Real files for the storage tests, made on the spot: sharp encodes the images, the PDF is
// written out by hand with a correct cross-reference table, the executable is this Node binary.
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } });

/** A JPEG a phone might produce: EXIF with camera make and GPS position, turned 90° by its Orientation tag, a P3 ICC profile. */
export function jpegWithGps(): Promise<Buffer> {
  return canvas(40, 20)
    .jpeg()
    .withIccProfile('p3')
    .withExif({
      IFD0: { Make: 'SilklineCam', Copyright: 'Silkline test' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export function png(): Promise<Buffer> {
  return canvas(30, 30).png().withExif({ IFD0: { Make: 'SilklineCam' } }).toBuffer();
}

export function webp(): Promise<Buffer> {
  return canvas(30, 30).webp().withExif({ IFD0: { Make: 'SilklineCam' } }).toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A valid-looking PNG whose header claims width × height pixels while it holds only a few bytes. */
export function pngClaiming(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(Buffer.alloc(width * 3 + 1))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A one-page PDF that a reader opens. */
export function minimalPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let text = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) text += `${String(offset).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

/** The first KB of the running Node binary: an ELF executable. */
export function executable(): Buffer {
  return readFileSync(process.execPath).subarray(0, 1024);
}

export const shellScript = () => Buffer.from('#!/bin/sh\necho "not a document"\n');
export const plainText = () => Buffer.from('This is plain text, not a picture.\n');
