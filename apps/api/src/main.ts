// The product's process: serves HTTP and works the job queue, or only the queue with ROLE=worker (start.ts).
import { start, startFailed } from './start';

start().catch(startFailed);
