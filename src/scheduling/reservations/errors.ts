/** Typed errors of the reservation manager: bad configuration or misuse of its API. */
import { KeelError } from '../../core/index.ts';

/** The declared resources or manager options are invalid. */
export class ReservationConfigError extends KeelError {
  override readonly code = 'RESERVATION_CONFIG';
}
