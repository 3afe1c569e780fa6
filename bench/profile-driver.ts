// What bench/profile.ts runs under `node --cpu-prof`: GradLens on one benchmark program, one of the
// bench's measures (--forward, forward + backward by default, or --check). It warms up first; the
// timed calls run inside profiledCalls(), so the summary can keep only their samples and leave out
// start-up and warm-up.
import { BenchProgram, benchPrograms, gradlensCheck, gradlensForward, gradlensForwardBackward, gradlensInputs, programSource, warmUpAll } from './programs';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const measure = process.argv.includes('--check') ? 'check' : process.argv.includes('--forward') ? 'forward' : 'forward+backward';
const [programId = 'two_layer_net_tiny', callsArgument = '20'] = positional;
const found = benchPrograms.find((p) => p.id === programId);
if (!found) {
  process.stderr.write(`profile: unknown program '${programId}'; one of ${benchPrograms.map((p) => p.id).join(', ')}\n`);
  process.exit(2);
}
const program: BenchProgram = found;
const source = programSource(program);
const inputs = program.inputs();
const tensors = gradlensInputs(inputs);
const calls = Number(callsArgument);
const warmUpMs = 2000;
const analysis = {
  forward: () => gradlensForward(source, program, tensors),
  'forward+backward': () => gradlensForwardBackward(source, program, tensors),
  check: () => gradlensCheck(source, program, tensors),
}[measure];

function profiledCalls(): void {
  for (let i = 0; i < calls; i++) analysis();
}

// --warm-all first runs every program as `npm run bench` does, so that the engine's code has seen
// what it sees there (many programs: shapes and ops V8 specialized for one program no longer fit).
if (process.argv.includes('--warm-all')) warmUpAll(benchPrograms);

// V8 keeps optimizing the engine for hundreds of calls of a small program: warm up for a while.
const warmUpStart = performance.now();
let warmUpCalls = 0;
while (warmUpCalls < 3 || (performance.now() - warmUpStart < warmUpMs && warmUpCalls < calls * 2)) {
  analysis();
  warmUpCalls++;
}
const start = performance.now();
profiledCalls();
process.stderr.write(`profile: ${program.id} ${measure}, ${calls} calls, ${((performance.now() - start) / calls).toFixed(3)} ms per call\n`);
