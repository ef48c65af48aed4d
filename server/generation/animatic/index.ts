export { renderAnimatic } from './render.js';
export type { AnimaticInput, AnimaticOptions, AnimaticResult } from './types.js';
export { ANIMATIC_SIZES, animaticSize, ASPECT_RATIOS, type AspectRatio } from './aspect.js';
export { CAMERA_MOVES, normalizeCamera, type CameraMove } from './camera.js';
export { planAnimatic, frameRate, DEFAULT_ANIMATIC_FPS, type AnimaticPlan } from './plan.js';
