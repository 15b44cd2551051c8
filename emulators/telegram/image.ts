// Just enough image sniffing to report a photo's dimensions and to refuse what Telegram could not process.

export interface ImageInfo {
  format: 'png' | 'jpeg' | 'gif' | 'webp';
  width: number;
  height: number;
}

export function sniffImage(data: Buffer): ImageInfo | undefined {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47 && data.toString('ascii', 12, 16) === 'IHDR') {
    return { format: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length >= 10 && data.toString('ascii', 0, 3) === 'GIF') {
    return { format: 'gif', width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  }
  if (
    data.length >= 30 &&
    data.toString('ascii', 0, 4) === 'RIFF' &&
    data.toString('ascii', 8, 12) === 'WEBP'
  ) {
    return webp(data);
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) return jpeg(data);
  return undefined;
}

function jpeg(data: Buffer): ImageInfo | undefined {
  let pos = 2;
  while (pos + 9 < data.length) {
    if (data[pos] !== 0xff) return undefined;
    const marker = data[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    const length = data.readUInt16BE(pos + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { format: 'jpeg', height: data.readUInt16BE(pos + 5), width: data.readUInt16BE(pos + 7) };
    }
    pos += 2 + length;
  }
  return undefined;
}

function webp(data: Buffer): ImageInfo | undefined {
  const chunk = data.toString('ascii', 12, 16);
  if (chunk === 'VP8X')
    return { format: 'webp', width: 1 + data.readUIntLE(24, 3), height: 1 + data.readUIntLE(27, 3) };
  if (chunk === 'VP8 ') {
    return { format: 'webp', width: data.readUInt16LE(26) & 0x3fff, height: data.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    const bits = data.readUInt32LE(21);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  return undefined;
}
