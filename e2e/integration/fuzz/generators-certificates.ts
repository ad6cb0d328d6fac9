/** apiCertificate values: the seeded certificates (placeholders, see placeholders.ts) and near misses. */
import fc from "fast-check";
import { repeated } from "./placeholders";
import { junkText, longText } from "./generators-values";

/** apiCertificate: accepted certificates in several encodings, another valid one, a key, near misses and junk. */
export const certificateValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("{{cert.current.pem}}", "{{cert.current.body}}", "{{cert.current.der64}}", "{{cert.next.pem}}", "{{cert.next.der64}}") },
  { weight: 2, arbitrary: fc.constantFrom("{{cert.stranger.pem}}", "{{cert.stranger.der64}}", "{{cert.key}}", "{{cert.current.truncated}}") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
      "{{cert.current.pem}}{{cert.next.pem}}",
      "x{{cert.current.der64}}",
      "{{cert.current.body}}%",
      "",
      "not a certificate",
    ),
  },
  { weight: 2, arbitrary: junkText },
  { weight: 1, arbitrary: longText },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 10_000, max: 70_000 }), fc.constantFrom("A", "%41", "+/", "-----")).map(repeated) },
);
