import { z } from 'zod';

export const participantParamSchema = z.strictObject({
  // "0088:5790000435975" or "iso6523-actorid-upis::0088:5790000435975", percent-encoded or not.
  participant: z.string().min(1).max(200),
});

const endpointSchema = z.object({
  transport_profile: z.string().nullable(),
  address: z.string().nullable(),
  activation_date: z.string().nullable(),
  expiration_date: z.string().nullable(),
});

export const participantLookupSchema = z.object({
  participant: z.object({
    scheme: z.string(),
    value: z.string().describe('"{icd}:{id}", lowercased as Peppol compares identifiers'),
  }),
  sml_name: z.string().describe('The DNS name the SML publishes the participant under'),
  smp_url: z.string(),
  document_types: z.array(
    z.object({
      scheme: z.string().nullable(),
      id: z.string(),
      processes: z.array(
        z.object({ scheme: z.string().nullable(), id: z.string(), endpoints: z.array(endpointSchema) }),
      ),
    }),
  ),
  receives: z
    .object({
      invoice: z.boolean(),
      credit_note: z.boolean(),
    })
    .describe(
      'Whether it accepts an invoice / credit note in a format this product issues (Peppol BIS 3, PINT AE)',
    ),
  signed_by: z.array(z.object({ subject: z.string(), fingerprint_sha256: z.string() })),
  checked_at: z.string().describe('When the SML and SMP were asked (a cached answer keeps its time)'),
});

export type ParticipantLookup = z.infer<typeof participantLookupSchema>;
