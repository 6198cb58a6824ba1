/**
 * CNN architectures without TensorFlow.js: the `net` option agents take (convolutions, then
 * fully connected layers), its rules, the OD3 paper's two networks scaled to small grids, and the
 * geometry and cost (parameters, multiply-adds) of an architecture on an image shape — shared by
 * the trainable `Cnn` and the budget → architecture generator of deploy/.
 */
import { z } from 'zod';
import { zc, type ConfigShape } from '../core/config-schema.js';
import { ArbiterError } from '../core/errors.js';
import type { Space } from '../core/spaces.js';
import { conv2dMacs, conv2dShape, type Conv2dShape } from './conv2d-host.js';

/** One convolution layer of a {@link CnnNetConfig}. */
export interface ConvLayerConfig {
  /** Output channels. */
  filters: number;
  /** Side of the square kernel. */
  kernel: number;
  /** Stride in both directions. Default 1. */
  stride?: number;
}

/**
 * A CNN architecture, as agents take it in their `net` option: convolutions (ReLU, 'valid'
 * padding), then fully connected ReLU layers `fc`, then the agent's linear output layer(s).
 */
export interface CnnNetConfig {
  /** Network family. */
  type: 'cnn';
  /** Convolution layers, input side first (at least one). */
  conv: ConvLayerConfig[];
  /** Hidden fully connected widths after the flatten. Default `[]`. */
  fc?: number[];
}

/** Rules of {@link CnnNetConfig} (strict: unknown keys are refused). */
export const CNN_NET_SCHEMA = z
  .object({
    type: z.literal('cnn'),
    conv: z
      .array(
        z
          .object({
            filters: zc.int(1),
            kernel: zc.int(1),
            stride: zc.int(1).optional(),
          } satisfies ConfigShape<ConvLayerConfig>)
          .strict(),
      )
      .min(1),
    fc: zc.layerSizes().optional(),
  } satisfies ConfigShape<CnnNetConfig>)
  .strict();

/**
 * The paper's cloud network (Nature-DQN "largenet": 32, 64, 64 filters, 512 units) scaled to a
 * small grid: 3 × 3 kernels with stride 1 instead of 8/4/3 with strides 4/2/1 on 84 × 84.
 */
export const CNN_LARGENET: CnnNetConfig = {
  type: 'cnn',
  conv: [
    { filters: 32, kernel: 3, stride: 1 },
    { filters: 64, kernel: 3, stride: 1 },
    { filters: 64, kernel: 3, stride: 1 },
  ],
  fc: [512],
};

/** The paper's edge network ("smallnet": 16, 16, 16 filters, 128 units), scaled as {@link CNN_LARGENET}. */
export const CNN_SMALLNET: CnnNetConfig = {
  type: 'cnn',
  conv: [
    { filters: 16, kernel: 3, stride: 1 },
    { filters: 16, kernel: 3, stride: 1 },
    { filters: 16, kernel: 3, stride: 1 },
  ],
  fc: [128],
};

/**
 * The `[H, W, C]` shape of an image observation space; throws `unsupported-space` naming `who`
 * for anything but a 3-dimensional Box.
 */
export function imageShape(space: Space, who: string): [number, number, number] {
  if (space.kind !== 'box' || space.shape.length !== 3)
    throw new ArbiterError(
      'unsupported-space',
      `${who}: a CNN needs a Box observation of shape [H, W, C], got ${space.kind === 'box' ? `a Box of shape [${space.shape.join(', ')}]` : space.kind} (use an image env such as PixelPong-v0 or Jobs-v0 with observation: 'image', or an MLP)`,
    );
  return [space.shape[0]!, space.shape[1]!, space.shape[2]!];
}

/** The geometry of every convolution of `config` on `inputShape` (throws when a kernel does not fit). */
export function cnnConvShapes(
  inputShape: readonly [number, number, number],
  conv: readonly ConvLayerConfig[],
  where = 'Cnn',
): Conv2dShape[] {
  let [h, w, c] = inputShape;
  return conv.map((l, i) => {
    const s = conv2dShape(h, w, c, l.filters, l.kernel, l.stride ?? 1, `${where}: conv[${i}]`);
    [h, w, c] = [s.outH, s.outW, s.outC];
    return s;
  });
}

/** Parameters and multiply-adds of a CNN with `outputDim` outputs on `inputShape` images. */
export function cnnCost(
  inputShape: readonly [number, number, number],
  net: CnnNetConfig,
  outputDim: number,
): { params: number; macs: number } {
  const shapes = cnnConvShapes(inputShape, net.conv);
  let params = 0;
  let macs = 0;
  for (const s of shapes) {
    params += s.kernel * s.kernel * s.inC * s.outC + s.outC;
    macs += conv2dMacs(s);
  }
  const last = shapes.at(-1)!;
  const dims = [last.outH * last.outW * last.outC, ...(net.fc ?? []), outputDim];
  for (let l = 0; l + 1 < dims.length; l++) {
    params += dims[l]! * dims[l + 1]! + dims[l + 1]!;
    macs += dims[l]! * dims[l + 1]!;
  }
  return { params, macs };
}
