/** A browser-like client for app.inject: keeps cookies, and fills in a form's CSRF token. */
export class TestClient {
    app;
    options;
    cookies = new Map();
    /** `ip`: the address the requests come from (127.0.0.1 unless given). */
    constructor(app, options = {}) {
        this.app = app;
        this.options = options;
    }
    get from() {
        return this.options.ip ? { remoteAddress: this.options.ip } : {};
    }
    remember(response) {
        for (const cookie of response.cookies) {
            if (cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0) || (cookie.expires && cookie.expires.getTime() < Date.now()))
                this.cookies.delete(cookie.name);
            else
                this.cookies.set(cookie.name, cookie.value);
        }
        return response;
    }
    cookieHeader() {
        return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    async get(url, headers = {}) {
        return this.remember(await this.app.inject({ ...this.from, method: 'GET', url, headers: { cookie: this.cookieHeader(), ...headers } }));
    }
    /** Posts a form as a browser would: with the CSRF token from the page it was on (or none). */
    async post(url, fields, options = {}) {
        const body = new URLSearchParams(fields);
        if (options.csrf !== false) {
            const page = await this.get(options.from ?? url);
            const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
            if (!token)
                throw new Error(`No CSRF token on ${options.from ?? url} (status ${page.statusCode})`);
            body.set('_csrf', token);
        }
        return this.remember(await this.app.inject({
            ...this.from,
            method: 'POST',
            url,
            headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
            payload: body.toString(),
        }));
    }
    /** Posts a form with files (multipart/form-data), with the CSRF token from the page it was on. */
    async postMultipart(url, parts, options = {}) {
        const page = await this.get(options.from ?? url);
        const token = page.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
        if (!token)
            throw new Error(`No CSRF token on ${options.from ?? url} (status ${page.statusCode})`);
        const { payload, contentType } = multipart([{ name: '_csrf', value: token }, ...parts]);
        return this.remember(await this.app.inject({ ...this.from, method: 'POST', url, headers: { cookie: this.cookieHeader(), 'content-type': contentType }, payload }));
    }
}
/** A multipart/form-data body as a browser sends it. */
export function multipart(parts) {
    const boundary = '----zjhkBoundary7MA4YWxkTrZu0gW';
    const chunks = [];
    for (const part of parts) {
        if ('value' in part) {
            chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
        }
        else {
            chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`), part.data, Buffer.from('\r\n'));
        }
    }
    chunks.push(Buffer.from(`--${boundary}--\r\n`));
    return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
//# sourceMappingURL=client.js.map