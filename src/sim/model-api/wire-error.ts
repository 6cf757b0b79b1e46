/** An error response as a provider sends it: status, JSON body and extra headers. */
export interface WireError {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}
