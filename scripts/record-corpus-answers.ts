// Records tshark's answers for the shared tcpdump corpus into test/corpus-answers/ (frames per capture, tcp.stream per frame).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import {
  answersDir,
  askFramesAndStreams,
  formatFramesAnswers,
  formatStreamsAnswers,
  framesAnswersFile,
  RECORD_COMMAND,
  streamsAnswersFile,
} from '../test/helpers/corpus-answers.js';
import { corpusAvailable, mapLimited, tcpdumpCorpusDir } from '../test/sources/capture-oracle.js';

async function main(): Promise<void> {
  if (!corpusAvailable) {
    console.error(`record-corpus-answers: the shared corpus is not at ${tcpdumpCorpusDir}`);
    process.exitCode = 2;
    return;
  }
  const version = (execFileSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? 'tshark').replace(/\.$/, '');
  const files = readdirSync(tcpdumpCorpusDir).sort();
  const header = [`${version}, on the ${files.length} captures of ../shared/corpus/tcpdump; regenerate with ${RECORD_COMMAND}`];
  let done = 0;
  const answers = await mapLimited(files, 2, async (file) => {
    const answer = await askFramesAndStreams(tcpdumpCorpusDir, file);
    if (++done % 100 === 0) console.log(`${done} of ${files.length}`);
    return answer;
  });
  const frames = answers.map((a) => a.frames);
  const streams = answers.map((a) => a.streams);
  mkdirSync(answersDir, { recursive: true });
  writeFileSync(framesAnswersFile, formatFramesAnswers(frames, [...header, 'tshark -r F -T fields -e frame.number -e frame.time_epoch -e tcp.stream; tcpdump -r F --count where tshark refuses the link type']));
  // Deterministic gzip (no name, no time in the header): re-recording the same answers changes no byte.
  writeFileSync(streamsAnswersFile, gzipSync(formatStreamsAnswers(streams, [...header, 'the tcp.stream values of each frame, from the same pass (-e tcp.stream); nothing after the digest: no TCP frame']), { level: 9 }));
  for (const file of [framesAnswersFile, streamsAnswersFile]) console.log(`${file}: ${(statSync(file).size / 1024).toFixed(0)} KB`);
  console.log(`${frames.length} captures, ${streams.filter((a) => a.streams.size > 0).length} with TCP`);
}

await main();
