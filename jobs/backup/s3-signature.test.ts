// The SigV4 signer against AWS's published examples: the S3 ones from
// "Signature Calculations for the Authorization Header"
// (docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html) and
// get-vanilla from the generic aws-sig-v4-test-suite. A wrong secret must give
// another signature: the S3 server in the upload test (s3rver) does not check
// SigV4 signatures, so the check in that test is this module's.
import { describe, expect, it } from "vitest";
import { authorizationHeader, canonicalRequest, EMPTY_PAYLOAD_SHA256, sha256Hex, signRequest, type SigningCredentials } from "./s3-signature.ts";

const S3_EXAMPLE: SigningCredentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "us-east-1",
  service: "s3",
};
const MAY_24_2013 = new Date("2013-05-24T00:00:00Z");

function s3Example(method: string, pathAndQuery: string, headers: Record<string, string>, payloadHash = EMPTY_PAYLOAD_SHA256) {
  return {
    method,
    url: new URL(`https://examplebucket.s3.amazonaws.com${pathAndQuery}`),
    headers: { "x-amz-date": "20130524T000000Z", "x-amz-content-sha256": payloadHash, ...headers },
    payloadHash,
  };
}

describe("SigV4 signing (AWS's published examples)", () => {
  it("GET Object with a Range header", () => {
    const request = s3Example("GET", "/test.txt", { Range: "bytes=0-9" });
    expect(canonicalRequest(request)).toBe(
      [
        "GET",
        "/test.txt",
        "",
        "host:examplebucket.s3.amazonaws.com",
        "range:bytes=0-9",
        `x-amz-content-sha256:${EMPTY_PAYLOAD_SHA256}`,
        "x-amz-date:20130524T000000Z",
        "",
        "host;range;x-amz-content-sha256;x-amz-date",
        EMPTY_PAYLOAD_SHA256,
      ].join("\n"),
    );
    expect(authorizationHeader(request, S3_EXAMPLE, MAY_24_2013)).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, " +
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
  });

  it("PUT Object with a body and a key that needs encoding", () => {
    const payloadHash = sha256Hex("Welcome to Amazon S3.");
    expect(payloadHash).toBe("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    const request = s3Example(
      "PUT",
      "/test$file.text",
      { Date: "Fri, 24 May 2013 00:00:00 GMT", "x-amz-storage-class": "REDUCED_REDUNDANCY" },
      payloadHash,
    );
    expect(canonicalRequest(request).split("\n")[1]).toBe("/test%24file.text");
    expect(authorizationHeader(request, S3_EXAMPLE, MAY_24_2013)).toMatch(
      /SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd$/,
    );
  });

  it("GET Bucket lifecycle (a bare subresource) and a listing with sorted query parameters", () => {
    expect(authorizationHeader(s3Example("GET", "/?lifecycle", {}), S3_EXAMPLE, MAY_24_2013)).toMatch(
      /Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543$/,
    );
    expect(authorizationHeader(s3Example("GET", "/?max-keys=2&prefix=J", {}), S3_EXAMPLE, MAY_24_2013)).toMatch(
      /Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7$/,
    );
  });

  it("get-vanilla from the generic test suite", () => {
    const request = {
      method: "GET",
      url: new URL("https://example.amazonaws.com/"),
      headers: { "X-Amz-Date": "20150830T123600Z" },
      payloadHash: EMPTY_PAYLOAD_SHA256,
    };
    const credentials = {
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      region: "us-east-1",
      service: "service",
    };
    expect(authorizationHeader(request, credentials, new Date("2015-08-30T12:36:00Z"))).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, " +
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  it("signRequest adds the date and payload headers it signs, and another secret gives another signature", () => {
    const request = { method: "PUT", url: new URL("http://127.0.0.1:9000/bucket/2026-12-07T030000Z/database.dump"), payloadHash: sha256Hex("x") };
    const headers = signRequest(request, S3_EXAMPLE, MAY_24_2013);
    expect(headers).toMatchObject({ host: "127.0.0.1:9000", "x-amz-date": "20130524T000000Z", "x-amz-content-sha256": sha256Hex("x") });
    expect(headers.authorization).toContain("SignedHeaders=host;x-amz-content-sha256;x-amz-date,");
    const wrong = signRequest(request, { ...S3_EXAMPLE, secretAccessKey: "not-the-secret" }, MAY_24_2013);
    expect(wrong.authorization).not.toBe(headers.authorization);
    expect(headers.authorization).not.toContain(S3_EXAMPLE.secretAccessKey);
  });
});
