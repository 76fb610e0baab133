/**
 * supervisord's global event serial: the first event some listener pool
 * accepts is 0, and the count carries on across a daemon reload. The daemon
 * creates one and hands the same object to every attachEvents call.
 */
export class EventSerials {
  #last = -1;

  /** The serial the next accepted event gets, consuming it. */
  next(): number {
    this.#last = this.#last >= Number.MAX_SAFE_INTEGER ? 0 : this.#last + 1;
    return this.#last;
  }

  /** The last serial handed out (-1: none yet). */
  get last(): number {
    return this.#last;
  }
}
