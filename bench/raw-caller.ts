/**
 * A minimal XML-RPC caller for rate measurements: posts a fixed request over
 * its own keep-alive unix-socket connection and drains the answer without
 * parsing it, so the rate measures the daemon rather than this process's
 * XML parser (parsing a 200-process getAllProcessInfo costs milliseconds).
 */
import http from 'node:http';
import { serializeMethodCallBody } from '../node-agent/api/xmlrpc-serialize.js';
import type { XmlRpcValue } from '../node-agent/api/types.js';

export class RawCaller {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly body: Buffer;

  constructor(
    private readonly socketPath: string,
    method: string,
    params: readonly XmlRpcValue[] = [],
  ) {
    const { chunks } = serializeMethodCallBody(method, params);
    this.body = Buffer.concat(chunks);
  }

  /** Resolves with the answer's size in bytes; rejects on a non-200 status or a fault. */
  call(): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          socketPath: this.socketPath,
          agent: this.agent,
          path: '/RPC2',
          method: 'POST',
          headers: { Host: 'localhost', 'Content-Type': 'text/xml', 'Content-Length': this.body.length },
        },
        (res) => {
          let bytes = 0;
          let head = '';
          res.on('data', (chunk: Buffer) => {
            if (bytes === 0) head = chunk.subarray(0, 200).toString('latin1');
            bytes += chunk.length;
          });
          res.on('end', () => {
            if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
            else if (head.includes('<fault>')) reject(new Error(`fault answer: ${head}`));
            else resolve(bytes);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(this.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
