// phoss-ap, a self-hosted Peppol access point, through its REST API: `X-Token` on every /api call (401 and a JSON
// error otherwise); POST /api/outbound/submit/{sender}/{receiver}/{docType}/{process}/{c1Country} with the
// payload as the body and our `sbdhInstanceID` (200 with a sending report, 400 with the offending identifier, 422
// when sending failed); GET /api/outbound/status/{sbdhInstanceID} (the transaction, or 404). Its transaction
// statuses: pending, sending, sent, failed (it retries), rejected, permanently_failed.
import type { AdapterSettings, StatusResult, SubmitResult, TransmissionAdapter } from '../adapter';
import { isRetryableStatus, type ProviderAnswer, reasonOf, request, retryAfterSeconds } from '../http';

const FINAL_FAILURES = ['rejected', 'permanently_failed'];

function retryOf(answer: ProviderAnswer | { error: string }) {
  if ('error' in answer) return { outcome: 'retry' as const, status_code: null, reason: answer.error };
  return {
    outcome: 'retry' as const,
    status_code: answer.status_code,
    reason: reasonOf(answer.body, `HTTP ${answer.status_code}`),
    retry_after_seconds: retryAfterSeconds(answer.headers['retry-after']),
  };
}

export function phossApAdapter(settings: AdapterSettings): TransmissionAdapter {
  const base = settings.base_url.replace(/\/+$/, '');
  const headers = { 'x-token': settings.credentials.api_token ?? '', accept: 'application/json' };
  const call = (method: string, path: string, body?: string, contentType?: string) =>
    request(new URL(`${base}${path}`), {
      method,
      headers: contentType ? { ...headers, 'content-type': contentType } : headers,
      body,
      timeoutMs: settings.timeout_ms,
    });

  return {
    provider: 'phoss-ap',

    async check() {
      // Lists the transactions not yet final: read-only, and behind the same token check as sending.
      const answer = await call('GET', '/api/outbound/in-transmission');
      if ('error' in answer) return answer.error;
      if (answer.status_code === 200) return null;
      return `HTTP ${answer.status_code}: ${reasonOf(answer.body, 'no reason given')}`;
    },

    async submit(document): Promise<SubmitResult> {
      const e = document.envelope;
      const path =
        '/api/outbound/submit/' +
        [e.sender, e.receiver, e.document_type, e.process, document.sender_country]
          .map(encodeURIComponent)
          .join('/') +
        `?sbdhInstanceID=${encodeURIComponent(document.instance_id)}`;
      const answer = await call('POST', path, document.xml, 'application/xml');
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      if (answer.status_code >= 200 && answer.status_code < 300) {
        return {
          outcome: 'acknowledged',
          status_code: answer.status_code,
          provider_reference: document.instance_id,
        };
      }
      return {
        outcome: 'refused',
        status_code: answer.status_code,
        reason: reasonOf(answer.body, `HTTP ${answer.status_code}`),
      };
    },

    async status({ instance_id }): Promise<StatusResult> {
      const answer = await call('GET', `/api/outbound/status/${encodeURIComponent(instance_id)}`);
      if ('error' in answer || isRetryableStatus(answer.status_code)) return retryOf(answer);
      if (answer.status_code === 404) return { outcome: 'not_found', status_code: 404 };
      if (answer.status_code !== 200) {
        return {
          outcome: 'refused',
          status_code: answer.status_code,
          reason: reasonOf(answer.body, `HTTP ${answer.status_code}`),
        };
      }
      let transaction: { status?: unknown; errorDetails?: unknown };
      try {
        transaction = JSON.parse(answer.body) as typeof transaction;
      } catch {
        return { outcome: 'retry', status_code: 200, reason: 'unreadable status answer' };
      }
      const status = String(transaction.status ?? '');
      const details = typeof transaction.errorDetails === 'string' ? transaction.errorDetails : null;
      const exchange =
        status === 'sent' ? 'delivered' : FINAL_FAILURES.includes(status) ? 'failed' : 'submitted';
      // A self-hosted access point reports to no tax authority: Peppol's own reporting is the operator's.
      return {
        outcome: 'found',
        status_code: 200,
        exchange,
        reporting: 'not_applicable',
        reason: exchange === 'failed' ? reasonOf(details ?? '', status) : null,
      };
    },
  };
}
