// The integrity seal: at every finalize of a company whose invoices are approved before they are sent (the UAE),
// in the issuing transaction, a record on the company's own chain — SHA-256 of the invoice data (the snapshot,
// RFC 8785) and of its e-invoice XML, the previous record's hash, and a signature over them with the company's
// key (ECDSA P-256, or RSA-PSS 2048 when the company chose it before its first finalize). The key is made at the
// first seal and kept encrypted with the data key, as the EGS units' keys are. Saudi invoices carry ZATCA's own
// chain (ICV, PIH, XAdES) and generic-profile invoices have no finalize step: neither is sealed.
//
// Runs after the e-invoice extensions (their XML is read back in the same transaction) and before the PDF.
import { profileFor } from '@invoiceflow/jurisdictions';
import type { AppContext } from '../../context';
import { decrypt, encrypt } from '../../lib/crypto';
import { defineErrors } from '../../lib/errors';
import type { IssueExtension } from '../invoices/extensions';
import { lifecycleOf } from '../invoices/lifecycle';
import * as q from './queries';
import {
  dataHashOf,
  FIRST_SEAL_HASH,
  generateSealKey,
  recordHashOf,
  type SealFields,
  signSeal,
  xmlHashOf,
} from './seal-crypto';

defineErrors({
  SEAL_ALGORITHM_FIXED: [
    409,
    "The company's seal key exists: its chain is signed with the algorithm it was made with.",
  ],
});

export type SealArtifact = { position: number; hash: string; xmlHash: string | null };

/** Whether a country's invoices are sealed: those finalized before approval. */
export function isSealed(country: string): boolean {
  return lifecycleOf(country) === 'approval';
}

export function sealIssueExtension(ctx: AppContext): IssueExtension {
  return {
    name: 'seal',
    async onIssue(tx, { invoice, seller }): Promise<SealArtifact | undefined> {
      if (!isSealed(seller.country)) return undefined;
      const companyId = seller.id;
      let key = await q.lockSealKey(tx, { companyId });
      if (!key) {
        const pair = await generateSealKey(seller.sealAlgorithm);
        await q.insertSealKey(tx, {
          companyId,
          algorithm: seller.sealAlgorithm,
          privateKeyEnc: encrypt(ctx.secrets.dataKey, pair.privateKeyPem),
          publicKeyPem: pair.publicKeyPem,
          lastHash: FIRST_SEAL_HASH,
        });
        key = await q.lockSealKey(tx, { companyId });
        if (!key) throw new Error('seal key vanished');
      }
      // The e-invoice of the country's own format (PINT AE for the UAE), stored earlier in this transaction.
      const formats: readonly string[] = profileFor(seller.country).einvoiceFormats;
      const documents = await q.listInvoiceXml(tx, { companyId, invoiceId: invoice.id });
      const sealedXml = formats
        .map((format) => documents.find((document) => document.format === format))
        .find((document) => document !== undefined);
      const fields: SealFields = {
        position: key.lastPosition + 1,
        // The snapshot as stored (read back by the insert): what a verification reads and hashes later.
        dataHash: dataHashOf(invoice.snapshot),
        xmlHash: sealedXml ? xmlHashOf(sealedXml.xml) : null,
        previousHash: key.lastHash,
      };
      const hash = recordHashOf(fields);
      const signature = signSeal(key.algorithm, decrypt(ctx.secrets.dataKey, key.privateKeyEnc), fields);
      await q.insertSeal(tx, {
        invoiceId: invoice.id,
        companyId,
        keyId: key.id,
        position: fields.position,
        dataHash: fields.dataHash,
        xmlFormat: sealedXml?.format ?? null,
        xmlHash: fields.xmlHash,
        previousHash: fields.previousHash,
        hash,
        signature,
      });
      await q.advanceSealChain(tx, { companyId, id: key.id, position: fields.position, hash });
      return { position: fields.position, hash, xmlHash: fields.xmlHash };
    },
  };
}
