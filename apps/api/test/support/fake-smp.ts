// An SMP on 127.0.0.1 (Peppol SMP specification 1.x over HTTP): GET /{participant} answers the ServiceGroup,
// GET /{participant}/services/{document type} the SignedServiceMetadata, signed with a test SMP certificate.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  serviceGroupXml,
  serviceMetadataXml,
  signSmpDocument,
  type TestKeyPair,
} from '../../../../packages/smp/src/test-support/smp-signing';

export interface FakeSmpParticipant {
  participant: string;
  documents: { documentType: string; processes: { id: string; endpoint: string }[] }[];
}

export interface FakeSmp {
  url: string;
  /** Publishes a participant, its answers signed by `signer`; `tamper` changes a signed answer afterwards. */
  publish(
    entry: FakeSmpParticipant,
    signer: TestKeyPair,
    options?: { tamper?: (xml: string) => string },
  ): void;
  /** The paths asked, in order (decoded). */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeSmp(): Promise<FakeSmp> {
  const answers = new Map<string, string>();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').toLowerCase();
    requests.push(decodeURIComponent(path));
    const body = answers.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    publish(entry, signer, options = {}) {
      const participant = `iso6523-actorid-upis::${entry.participant}`;
      const groupPath = `/${encodeURIComponent(participant)}`;
      const hrefs = entry.documents.map(
        (d) => `${url}${groupPath}/services/${encodeURIComponent(`busdox-docid-qns::${d.documentType}`)}`,
      );
      answers.set(groupPath.toLowerCase(), serviceGroupXml(entry.participant, hrefs));
      entry.documents.forEach((document, i) => {
        const signed = signSmpDocument(
          serviceMetadataXml({ participant: entry.participant, ...document }),
          signer,
        );
        const href = new URL(hrefs[i] as string);
        answers.set(href.pathname.toLowerCase(), options.tamper ? options.tamper(signed) : signed);
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
