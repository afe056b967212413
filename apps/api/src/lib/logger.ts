import type { FastifyServerOptions } from 'fastify';

/** Keeps enough of a value to recognise it in a log and no more: "a***@example.com", "3********0003". */
export function maskValue(value: unknown): unknown {
  if (typeof value !== 'string') return value === undefined || value === null ? value : '[masked]';
  const at = value.indexOf('@');
  if (at > 0) return `${value[0]}***${value.slice(at)}`;
  if (value.length <= 6) return '***';
  return `${value.slice(0, 1)}${'*'.repeat(value.length - 5)}${value.slice(-4)}`;
}

const SECRET_KEYS = [
  'password',
  'new_password',
  'access_token',
  'refresh_token',
  'mfa_token',
  'token',
  'code',
  'secret',
];
const PERSONAL_KEYS = ['email', 'vat_number', 'trn', 'phone', 'mobile', 'to_address'];

const paths = (keys: string[]) => keys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        ...paths(SECRET_KEYS),
        ...paths(PERSONAL_KEYS),
      ],
      censor: (value: unknown, path: string[]) =>
        SECRET_KEYS.includes(path.at(-1) ?? '') || path.includes('headers') ? '[redacted]' : maskValue(value),
    },
  };
}
