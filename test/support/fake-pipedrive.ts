import { FakeHttpServer } from './fake-server.js';

export const PIPEDRIVE_API_TOKEN = 'pd-api-token-0123456789abcdef';

export interface PipedriveUserRecord {
  id: number;
  name: string;
  email: string;
}

/**
 * Pipedrive's users endpoint for tests, in its documented shape: `GET /v1/users/{id}?api_token=` answers
 * `{ success: true, data: { id, name, email, … } }`; a bad token 401 and an unknown user 404, both as
 * `{ success: false, error, error_info }`.
 */
export class FakePipedrive extends FakeHttpServer {
  readonly users = new Map<number, PipedriveUserRecord>();
  readonly calls: string[] = [];

  constructor() {
    super((req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      this.calls.push(url.pathname);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const failure = (status: number, error: string) =>
        send(status, { success: false, error, error_info: 'Please check developers.pipedrive.com' });
      if (url.searchParams.get('api_token') !== PIPEDRIVE_API_TOKEN) return failure(401, 'unauthorized access');
      const match = /^\/v1\/users\/(\d+)$/.exec(url.pathname);
      const user = match ? this.users.get(Number(match[1])) : undefined;
      if (!user) return failure(404, 'User not found');
      send(200, {
        success: true,
        data: {
          ...user,
          default_currency: 'EUR',
          locale: 'en_US',
          lang: 1,
          active_flag: true,
          is_admin: 0,
          role_id: 1,
        },
      });
    });
  }

  reset(): void {
    this.users.clear();
    this.calls.length = 0;
  }
}
