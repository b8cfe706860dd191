/**
 * TLS material for the http1 engine's tests: a test CA and a server certificate it signed for
 * `localhost` and `127.0.0.1` (P-256, valid for 100 years so tests never expire). A CA-signed
 * leaf is needed because rustls refuses a self-signed certificate used directly as a trust
 * anchor for itself (CaUsedAsEndEntity), which is what `caCerts` tests must exercise.
 * Generated with openssl; the CA key was discarded. Test-only: never trust this CA elsewhere.
 *
 * @module
 */

/** The test CA, to pass as `caCerts`. */
export const TEST_CA_CERT = `-----BEGIN CERTIFICATE-----
MIIBmDCCAT2gAwIBAgIUYNOmNMb4QsXGUv2YR0Eos6lrMLQwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNcmFtcGEgdGVzdCBDQTAgFw0yNjExMjcxMjAyMDZaGA8yMTI2
MTEwMzEyMDIwNlowGDEWMBQGA1UEAwwNcmFtcGEgdGVzdCBDQTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABMZmBY7d2cGeD82zdbtyR5Hcz1HlqsQi0a2LtD/Ok6X0
JVyjGrPg1ZLYh81hGtqujeSlJt9MHFo4iWlB5u0s+NejYzBhMB0GA1UdDgQWBBQm
eLnYiNe3yZM7Ma4Jk8WCvaqGWDAfBgNVHSMEGDAWgBQmeLnYiNe3yZM7Ma4Jk8WC
vaqGWDAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAKBggqhkjOPQQD
AgNJADBGAiEAoph/FiId1GLk6gQtPpqnVtkmWhfkuNVMK2MXOlPMv1oCIQCoXo2J
s1LV6dC/+6b1aokyjyDq9le10Vpt3gneZZchRg==
-----END CERTIFICATE-----
`;

/** The server certificate (SAN: DNS localhost, IP 127.0.0.1), signed by {@link TEST_CA_CERT}. */
export const TEST_SERVER_CERT = `-----BEGIN CERTIFICATE-----
MIIBvTCCAWOgAwIBAgIUKuF1ZsFKf+fsFZrEgr5nDZzEglMwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNcmFtcGEgdGVzdCBDQTAgFw0yNjExMjcxMjAyMDZaGA8yMTI2
MTEwMzEyMDIwNlowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0CAQYI
KoZIzj0DAQcDQgAENvWDqY6UyX8aoRHLO0PVdmkafhA+12OBECadJknx22ocOL8K
3TBpqvgEFMiThlSIAWvi8ufnQA1UDYD+s0HFWaOBjDCBiTAaBgNVHREEEzARggls
b2NhbGhvc3SHBH8AAAEwCQYDVR0TBAIwADALBgNVHQ8EBAMCB4AwEwYDVR0lBAww
CgYIKwYBBQUHAwEwHQYDVR0OBBYEFEcPfZfQxPdddVWrhcpN2PnGElnzMB8GA1Ud
IwQYMBaAFCZ4udiI17fJkzsxrgmTxYK9qoZYMAoGCCqGSM49BAMCA0gAMEUCIEHz
rZ7/WwGKKzH/bc8pRCoKj6iyPL3BkWLg4PM8s9PPAiEAvjoYhv3NeIbnD2t4G8ga
SQB3SuHdfI3Bcf+h3nZ2W6Q=
-----END CERTIFICATE-----
`;

/** The server certificate's private key. */
export const TEST_SERVER_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+4YE9ElrD802Xp/K
NHBVBRceIYPTCZpKyl4NINg9ipyhRANCAAQ29YOpjpTJfxqhEcs7Q9V2aRp+ED7X
Y4EQJp0mSfHbahw4vwrdMGmq+AQUyJOGVIgBa+Ly5+dADVQNgP6zQcVZ
-----END PRIVATE KEY-----
`;

/** Server options for `Deno.serve` / `Deno.listenTls`. */
export const TEST_SERVER_TLS: { cert: string; key: string } = {
  cert: TEST_SERVER_CERT,
  key: TEST_SERVER_KEY,
};
