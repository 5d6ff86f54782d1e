import { MinjiangError } from '../../core/errors.js';

/**
 * A submission that cannot go on as asked: `SUBMIT-FILE-CHANGED` (the file is not the one the
 * submission was started with), `SUBMIT-STATE-MISSING`, `SUBMIT-STATE-UNREADABLE`,
 * `SUBMIT-NOT-OPEN` (cancelled), `SUBMIT-RECEIPT-INVALID` (the hub's receipt does not verify),
 * `SUBMIT-INCOMPLETE` (the hub misses chunks after the upload).
 */
export class SubmitError extends MinjiangError {}
