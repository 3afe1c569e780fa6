// `npm run bench:ceiling`: the ceiling of WebAssembly SIMD on this machine (bench/ceiling.ts), with
// and without relaxed SIMD's fused multiply-add. The script runs node with the flag Node 20 needs
// for relaxed SIMD. A module of its own: bench/run.ts bundles ceiling.ts, and in a bundle every
// module would see itself as the main one.
import { simdCeiling } from './ceiling';

void simdCeiling().then((c) => {
  process.stdout.write(`f64x2.mul: ${c.multipliesPerNs.toFixed(2)} per ns; f64x2.add: ${c.addsPerNs.toFixed(2)} per ns\n`);
  process.stdout.write(`f64x2 multiply and add: at most ${c.multiplyAddPerNs.toFixed(1)} multiply-adds per ns\n`);
  process.stdout.write(`f64x2.relaxed_madd: ${c.relaxedMaddPerNs === null ? 'not in this engine (Node 20: --experimental-wasm-relaxed-simd)' : `at most ${c.relaxedMaddPerNs.toFixed(1)} multiply-adds per ns`}\n`);
});
