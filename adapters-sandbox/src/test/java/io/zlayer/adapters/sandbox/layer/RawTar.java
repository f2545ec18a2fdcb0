package io.zlayer.adapters.sandbox.layer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** Builds tar archives byte by byte, with any name at all: for crafted (malicious) archives. */
final class RawTar {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int uid;
  private int gid;

  /** Entries added after this call get these owners. */
  RawTar owned(int uid, int gid) {
    this.uid = uid;
    this.gid = gid;
    return this;
  }

  RawTar file(String name, String content) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    header(name, '0', data.length, "", 0644, 0, 0);
    body(data);
    return this;
  }

  RawTar dir(String name) {
    header(name, '5', 0, "", 0755, 0, 0);
    return this;
  }

  RawTar symlink(String name, String target) {
    header(name, '2', 0, target, 0777, 0, 0);
    return this;
  }

  RawTar hardLink(String name, String target) {
    header(name, '1', 0, target, 0644, 0, 0);
    return this;
  }

  RawTar device(String name, char type, int major, int minor) {
    header(name, type, 0, "", 0600, major, minor);
    return this;
  }

  /** A local PAX header applying to the next entry. */
  RawTar pax(Map<String, byte[]> records) {
    byte[] data = LayerTarWriter.paxData(new TreeMap<>(records));
    header("PaxHeaders.0/x", 'x', data.length, "", 0644, 0, 0);
    body(data);
    return this;
  }

  byte[] bytes() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(new byte[1024]);
    return copy.toByteArray();
  }

  private void body(byte[] data) {
    out.writeBytes(data);
    int pad = (512 - data.length % 512) % 512;
    out.writeBytes(new byte[pad]);
  }

  private void header(String name, char type, long size, String link, int mode, int major,
      int minor) {
    byte[] h = new byte[512];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    octal(h, 100, 8, mode);
    octal(h, 108, 8, type == 'x' ? 0 : uid);
    octal(h, 116, 8, type == 'x' ? 0 : gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 1700000000L);
    h[156] = (byte) type;
    put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    octal(h, 329, 8, major);
    octal(h, 337, 8, minor);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    byte[] s = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, h, 148, 8);
    out.writeBytes(h);
  }

  private static void put(byte[] h, int offset, int length, byte[] value) {
    if (value.length > length) {
      throw new IllegalArgumentException("field too long");
    }
    System.arraycopy(value, 0, h, offset, value.length);
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String s = String.format("%0" + (length - 1) + "o", value);
    put(h, offset, length, (s + "\0").getBytes(StandardCharsets.US_ASCII));
  }
}
