// A process that only works the job queue, beside API processes started with RUN_JOBS=false (`npm run worker`).
import { start, startFailed } from './start';

start('worker').catch(startFailed);
