/**
 * The spaces a checkpoint of a TF.js algorithm records (`extra.spaces`), and the stand-in env
 * rebuilt from them when a model is loaded without its env. The short labels (`obsDim`,
 * `actions: 'Discrete(n)' | 'Box(d)'`) name the spaces in mismatch messages; the full space
 * descriptions (Box bounds, Discrete start) make predictions of an env-less model equal to those
 * of a model loaded with its env. Checkpoints written before the full descriptions were recorded
 * give an on-policy stand-in from the labels where that is exact (Discrete: the policies act in
 * action indices), and none for Box (the bounds that `predict` clips to are unknown).
 */
import { ArbiterError } from '../core/errors.js';
import { SpacesOnlyEnv } from '../core/spaces-only-env.js';
import {
  Box,
  Discrete,
  flatDim,
  spaceFromJson,
  spaceToJson,
  type Space,
  type SpaceJson,
} from '../core/spaces.js';

/** What a checkpoint records of its env's spaces (see module doc). */
export interface CheckpointSpaces {
  /** Flat observation length. */
  obsDim: number;
  /** The action space's label: `'Discrete(n)'`, `'Box(d)'`, or the space's kind. */
  actions: string;
  /** The full observation space (absent in older checkpoints). */
  observationSpace?: SpaceJson;
  /** The full action space (absent in older checkpoints). */
  actionSpace?: SpaceJson;
}

/** The label of an action space in {@link CheckpointSpaces.actions}. */
export function actionSpaceLabel(space: Space): string {
  return space.kind === 'discrete'
    ? `Discrete(${space.n})`
    : space.kind === 'box'
      ? `Box(${space.size})`
      : space.kind;
}

/** The record of an env's spaces for a checkpoint. */
export function checkpointSpaces(observationSpace: Space, actionSpace: Space): CheckpointSpaces {
  return {
    obsDim: flatDim(observationSpace),
    actions: actionSpaceLabel(actionSpace),
    observationSpace: spaceToJson(observationSpace),
    actionSpace: spaceToJson(actionSpace),
  };
}

/**
 * The stand-in env of a checkpoint in `dir` loaded without its env: its recorded spaces, no
 * dynamics. Throws `no-env` when the checkpoint does not record enough to predict exactly.
 */
export function standInEnv(spaces: CheckpointSpaces | undefined, dir: string): SpacesOnlyEnv {
  const refuse = (why: string): never => {
    throw new ArbiterError('no-env', `${dir}: ${why}; load it with the env it was trained on`);
  };
  if (!spaces) return refuse('the checkpoint records no spaces (written by an older version)');
  const observationSpace = spaces.observationSpace
    ? spaceFromJson(spaces.observationSpace)
    : new Box(-Infinity, Infinity, [spaces.obsDim]);
  let actionSpace: Space;
  if (spaces.actionSpace) actionSpace = spaceFromJson(spaces.actionSpace);
  else {
    const discrete = /^Discrete\((\d+)\)$/.exec(spaces.actions);
    if (!discrete)
      return refuse(
        `the checkpoint records actions ${spaces.actions} without their bounds (written by an older version)`,
      );
    actionSpace = new Discrete(Number(discrete[1]));
  }
  return new SpacesOnlyEnv(observationSpace, actionSpace, `${dir}`);
}
