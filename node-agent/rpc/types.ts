import type { XmlRpcValue } from '../api/types.js';

/** Who is calling, as the HTTP layer saw it. */
export interface CallContext {
  /** Which configured server the request came through, e.g. `inet_http_server`. */
  server: string;
}

/**
 * The boundary between the HTTP layer and the RPC namespaces: the HTTP layer
 * only parses, authenticates and serialises; everything else happens behind this.
 */
export interface RpcDispatcher {
  /** Resolves to the method's value or rejects with an RpcFault (any other error → HTTP 500). */
  call(method: string, params: XmlRpcValue[], ctx: CallContext): Promise<XmlRpcValue>;
}
