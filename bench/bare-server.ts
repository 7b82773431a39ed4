// The baseline: a keep-alive node:http server answering each benchmarked path with the app's captured bytes.
// Usage: PORT=… HOST=… node --import tsx bench/bare-server.ts <responses.json>
import { readFileSync } from 'node:fs';
import http from 'node:http';

export interface CapturedResponse {
  path: string;
  contentType: string;
  bodyBase64: string;
}

interface Route {
  contentType: string;
  body: Buffer;
}

function loadRoutes(file: string): Map<string, Route> {
  const entries = JSON.parse(readFileSync(file, 'utf8')) as CapturedResponse[];
  return new Map(entries.map((entry) => [entry.path, { contentType: entry.contentType, body: Buffer.from(entry.bodyBase64, 'base64') }]));
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: bare-server.ts <responses.json>');
  const routes = loadRoutes(file);
  const server = http.createServer((request, response) => {
    const route = routes.get(request.url ?? '');
    if (!route) {
      response.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    response.writeHead(200, { 'content-type': route.contentType, 'content-length': String(route.body.length) }).end(route.body);
  });
  server.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

main();
