// The address policy behind the SSRF-safe fetcher: one case per forbidden range, plus the
// IPv6 spellings that smuggle an IPv4 address and the public addresses that must still pass.
import { describe, expect, test } from "vitest";
import { forbiddenKind, isForbiddenAddress } from "./ip-policy";

describe("forbidden addresses", () => {
  test.each([
    ["IPv4 unspecified", "0.0.0.0", "unspecified"],
    ["IPv4 this-network 0/8", "0.1.2.3", "unspecified"],
    ["IPv6 unspecified", "::", "unspecified"],
    ["IPv4 loopback", "127.0.0.1", "loopback"],
    ["IPv4 loopback, end of 127/8", "127.255.255.254", "loopback"],
    ["IPv6 loopback", "::1", "loopback"],
    ["IPv6 loopback, long form", "0:0:0:0:0:0:0:1", "loopback"],
    ["private 10/8", "10.20.30.40", "private"],
    ["private 172.16/12, start", "172.16.0.1", "private"],
    ["private 172.16/12, end", "172.31.255.255", "private"],
    ["private 192.168/16", "192.168.1.1", "private"],
    ["link-local", "169.254.1.1", "link-local"],
    ["cloud metadata", "169.254.169.254", "link-local"],
    ["CGNAT 100.64/10", "100.64.0.1", "shared (CGNAT)"],
    ["CGNAT 100.64/10, end", "100.127.255.255", "shared (CGNAT)"],
    ["IETF 192.0.0/24", "192.0.0.8", "reserved"],
    ["documentation 192.0.2/24", "192.0.2.1", "documentation"],
    ["benchmarking 198.18/15", "198.19.255.1", "reserved"],
    ["documentation 198.51.100/24", "198.51.100.7", "documentation"],
    ["documentation 203.0.113/24", "203.0.113.9", "documentation"],
    ["multicast 224/4", "239.255.255.250", "multicast"],
    ["reserved 240/4", "240.0.0.1", "reserved"],
    ["broadcast", "255.255.255.255", "reserved"],
    ["IPv6 link-local", "fe80::1", "link-local"],
    ["IPv6 link-local, upper end of fe80::/10", "febf::1", "link-local"],
    ["IPv6 unique local fc00::/7", "fd12:3456::1", "private"],
    ["IPv6 unique local, fc half", "fc00::1", "private"],
    ["IPv6 multicast", "ff02::1", "multicast"],
    ["IPv6 documentation", "2001:db8::1", "documentation"],
    ["IPv6 discard", "100::1", "reserved"],
    ["Teredo", "2001::1", "reserved"],
    ["IPv6 outside global unicast", "4000::1", "reserved"],
  ])("%s: %s", (_name, address, kind) => {
    expect(isForbiddenAddress(address)).toBe(true);
    expect(forbiddenKind(address)).toBe(kind);
  });
});

describe("IPv6 forms that embed an IPv4 address are judged by it", () => {
  test.each([
    ["IPv4-mapped, dotted", "::ffff:127.0.0.1", "loopback"],
    ["IPv4-mapped, hex", "::ffff:7f00:1", "loopback"],
    ["IPv4-mapped, long form", "0:0:0:0:0:ffff:7f00:0001", "loopback"],
    ["IPv4-mapped, upper case", "::FFFF:A9FE:A9FE", "link-local"],
    ["IPv4-mapped metadata", "::ffff:169.254.169.254", "link-local"],
    ["IPv4-mapped private", "::ffff:10.0.0.1", "private"],
    ["IPv4-compatible", "::127.0.0.1", "loopback"],
    ["IPv4-compatible, hex", "::a00:1", "private"],
    ["IPv4-translated", "::ffff:0:7f00:1", "loopback"],
    ["NAT64", "64:ff9b::127.0.0.1", "loopback"],
    ["NAT64, hex", "64:ff9b::a9fe:a9fe", "link-local"],
    ["6to4", "2002:7f00:1::", "loopback"],
    ["6to4 of a private address", "2002:c0a8:101::1", "private"],
  ])("%s: %s", (_name, address, kind) => {
    expect(forbiddenKind(address)).toBe(kind);
  });

  test.each([
    ["IPv4-mapped public", "::ffff:8.8.8.8"],
    ["NAT64 public", "64:ff9b::808:808"],
    ["6to4 public", "2002:808:808::1"],
  ])("%s passes: %s", (_name, address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

describe("public addresses", () => {
  test.each(["8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0", "169.253.255.255", "223.255.255.255", "2606:4700::1111", "2001:4860:4860::8888", "2a00:1450::1"])(
    "%s is allowed",
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
      expect(forbiddenKind(address)).toBeNull();
    },
  );
});

describe("anything that is not an IP literal", () => {
  test.each(["", "localhost", "example.com", "127.1", "0x7f.0.0.1", "2130706433", "010.0.0.1", "1.2.3.4.5", "256.0.0.1", "[::1]", "fe80::1%eth0", ":::1", "::ffff:1.2.3.256"])(
    "%j is forbidden",
    (text) => {
      expect(forbiddenKind(text)).toBe("invalid");
    },
  );
});
