package org.taqtir.core.eval.shift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.taqtir.core.data.Dataset;

/**
 * A deterministic, seeded corruption suite for single-channel byte images ({@code sampleShape = {1,
 * H, W}}), after the ImageNet-C protocol of Hendrycks &amp; Dietterich 2019 reduced to five kinds
 * and three severities: Gaussian noise, Gaussian blur, contrast reduction, rotation and occlusion
 * (parameters on {@link Corruption.Kind}).
 *
 * <p>Each corruption draws from its own {@code SplittableRandom(seed ^ salt(kind) ^ severity ·
 * 0x9E3779B97F4A7C15)}, consuming samples in image order, so the same seed gives byte-identical
 * output whatever else is computed. Results are rounded to the nearest integer and clamped to [0,
 * 255].
 */
public final class Corruptions {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Corruptions() {}

  /**
   * Returns the 15 members of the suite, kind-major in {@link Corruption.Kind} order, severities 1
   * to 3.
   *
   * @return an unmodifiable list
   */
  public static List<Corruption> all() {
    List<Corruption> out = new ArrayList<>();
    for (Corruption.Kind k : Corruption.Kind.values()) {
      for (int s = 1; s <= Corruption.SEVERITIES; s++) {
        out.add(new Corruption(k, s));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Applies one corruption to every image of a data set; the input is not modified.
   *
   * @param clean a pixel data set of shape {@code {1, H, W}}
   * @param corruption what to apply
   * @param seed the suite's seed
   * @return a new pixel data set with the same labels, shape and number of classes
   * @throws IllegalArgumentException when the data set does not store single-channel pixels
   */
  public static Dataset apply(Dataset clean, Corruption corruption, long seed) {
    int[] shape = clean.sampleShape();
    if (!clean.isPixels() || shape.length != 3 || shape[0] != 1) {
      throw new IllegalArgumentException(
          "corruptions need a pixel data set of shape {1, H, W}, found "
              + (clean.isPixels() ? "pixels" : "float features")
              + " of shape "
              + Arrays.toString(shape));
    }
    byte[] out = apply(clean.pixels(), clean.size(), shape[1], shape[2], corruption, seed);
    return Dataset.ofPixels(out, clean.labels().clone(), shape, clean.numClasses());
  }

  /**
   * Applies one corruption to {@code n} row-major {@code h × w} byte images.
   *
   * @param pixels {@code n · h · w} unsigned bytes; not modified
   * @param n number of images
   * @param h image height
   * @param w image width
   * @param corruption what to apply
   * @param seed the suite's seed
   * @return a new array of the same length
   * @throws IllegalArgumentException when the length is not {@code n · h · w}
   */
  public static byte[] apply(byte[] pixels, int n, int h, int w, Corruption corruption, long seed) {
    if (pixels.length != (long) n * h * w) {
      throw new IllegalArgumentException(
          "pixels have " + pixels.length + " values, expected " + n + " x " + h + " x " + w);
    }
    SplittableRandom random =
        new SplittableRandom(seed ^ corruption.kind().salt() ^ (corruption.severity() * GOLDEN));
    double p = corruption.param();
    return switch (corruption.kind()) {
      case NOISE -> noise(pixels, p, random);
      case BLUR -> blur(pixels, n, h, w, p);
      case CONTRAST -> contrast(pixels, n, h * w, p);
      case ROTATION -> rotate(pixels, n, h, w, p);
      case OCCLUSION -> occlude(pixels, n, h, w, (int) p, random);
    };
  }

  private static byte[] noise(byte[] in, double sigma, SplittableRandom random) {
    byte[] out = new byte[in.length];
    double scale = sigma * 255;
    for (int i = 0; i < in.length; i++) {
      out[i] = toByte((in[i] & 0xFF) + scale * random.nextGaussian());
    }
    return out;
  }

  private static byte[] blur(byte[] in, int n, int h, int w, double sigma) {
    int r = (int) Math.ceil(3 * sigma);
    double[] k = new double[2 * r + 1];
    double sum = 0;
    for (int i = -r; i <= r; i++) {
      k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
      sum += k[i + r];
    }
    for (int i = 0; i < k.length; i++) {
      k[i] /= sum;
    }
    byte[] out = new byte[in.length];
    double[] tmp = new double[h * w];
    int size = h * w;
    for (int img = 0; img < n; img++) {
      int off = img * size;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double v = 0;
          for (int j = -r; j <= r; j++) {
            int xx = Math.min(w - 1, Math.max(0, x + j));
            v += k[j + r] * (in[off + y * w + xx] & 0xFF);
          }
          tmp[y * w + x] = v;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double v = 0;
          for (int j = -r; j <= r; j++) {
            int yy = Math.min(h - 1, Math.max(0, y + j));
            v += k[j + r] * tmp[yy * w + x];
          }
          out[off + y * w + x] = toByte(v);
        }
      }
    }
    return out;
  }

  private static byte[] contrast(byte[] in, int n, int size, double factor) {
    byte[] out = new byte[in.length];
    for (int img = 0; img < n; img++) {
      int off = img * size;
      long total = 0;
      for (int i = 0; i < size; i++) {
        total += in[off + i] & 0xFF;
      }
      double mean = (double) total / size;
      for (int i = 0; i < size; i++) {
        out[off + i] = toByte(mean + factor * ((in[off + i] & 0xFF) - mean));
      }
    }
    return out;
  }

  /**
   * Rotates counter-clockwise (on screen, y pointing down) by {@code degrees} around ((w − 1)/2, (h
   * − 1)/2) with bilinear interpolation; source samples outside the image read as 0. The source
   * position of each output pixel is the same for every image, so it is computed once.
   */
  static byte[] rotate(byte[] in, int n, int h, int w, double degrees) {
    int size = h * w;
    double rad = Math.toRadians(degrees);
    double cos = Math.cos(rad);
    double sin = Math.sin(rad);
    double cx = (w - 1) / 2.0;
    double cy = (h - 1) / 2.0;
    // Per output pixel: the four source indices (-1 when outside) and their weights.
    int[] idx = new int[4 * size];
    double[] wt = new double[4 * size];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double dx = x - cx;
        double dy = y - cy;
        // Inverse of a counter-clockwise screen rotation (y down): rotate the offset clockwise.
        double sx = cos * dx - sin * dy + cx;
        double sy = sin * dx + cos * dy + cy;
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        int o = 4 * (y * w + x);
        int[] xs = {x0, x0 + 1, x0, x0 + 1};
        int[] ys = {y0, y0, y0 + 1, y0 + 1};
        double[] ws = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
        for (int q = 0; q < 4; q++) {
          boolean inside = xs[q] >= 0 && xs[q] < w && ys[q] >= 0 && ys[q] < h;
          idx[o + q] = inside ? ys[q] * w + xs[q] : -1;
          wt[o + q] = inside ? ws[q] : 0;
        }
      }
    }
    byte[] out = new byte[in.length];
    for (int img = 0; img < n; img++) {
      int off = img * size;
      for (int p = 0; p < size; p++) {
        double v = 0;
        for (int q = 0; q < 4; q++) {
          int s = idx[4 * p + q];
          if (s >= 0) {
            v += wt[4 * p + q] * (in[off + s] & 0xFF);
          }
        }
        out[off + p] = toByte(v);
      }
    }
    return out;
  }

  private static byte[] occlude(byte[] in, int n, int h, int w, int side, SplittableRandom random) {
    int s = Math.min(side, Math.min(h, w));
    byte[] out = in.clone();
    for (int img = 0; img < n; img++) {
      int off = img * h * w;
      int x0 = random.nextInt(w - s + 1);
      int y0 = random.nextInt(h - s + 1);
      for (int y = y0; y < y0 + s; y++) {
        Arrays.fill(out, off + y * w + x0, off + y * w + x0 + s, (byte) 0);
      }
    }
    return out;
  }

  private static byte toByte(double v) {
    long r = Math.round(v);
    return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
  }
}
