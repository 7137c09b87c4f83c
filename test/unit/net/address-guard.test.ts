import { describe, expect, it } from 'vitest';
import {
  BlockedAddressError,
  isNonPublicAddress,
  publicAddressesOnly,
} from '../../../src/net/address-guard.js';

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a00:1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    // IPv4-compatible (deprecated), whatever IPv4 address it holds
    '::127.0.0.1',
    '::a00:1',
    '::8.8.8.8',
    '::ffff:0:127.0.0.1', // IPv4-translated
    '64:ff9b:1::a00:1', // local-use NAT64
    '64:ff9b:1::808:808',
    'fec0::1', // site-local
    'feff::1',
    '64:ff9b::127.0.0.1', // NAT64 of a private IPv4 address
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '2002:a00:1::1',
    '2002:c0a8:101:0:1:2:3:4',
    '2002:a9fe:a9fe::1%eth0',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    '2001:db8::1', // documentation
    '100::1', // discard-only
  ])('%s is not public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700::1111',
    '2001:4860:4860::8888',
    '64:ff9b::808:808', // NAT64 (DNS64 networks) of a public IPv4 address
    '64:ff9b::8.8.4.4',
    '2002:808:808::1', // 6to4 of a public IPv4 address
    '2a00:1450:4001:81c::200e',
  ])('%s is public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });
});

describe('publicAddressesOnly', () => {
  const dns: Record<string, string[]> = {
    'news.example': ['93.184.216.34', '2606:4700::1111'],
    'rebound.example': ['93.184.216.34', '10.0.0.7'],
    'metadata.example': ['169.254.169.254'],
  };
  const guard = publicAddressesOnly(async (host) => {
    const addresses = dns[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address }));
  });
  const check = (url: string) => guard(new URL(url));

  it('lets public names and addresses through', async () => {
    await expect(check('https://news.example/story')).resolves.toBeUndefined();
    await expect(check('http://93.184.216.34/')).resolves.toBeUndefined();
    await expect(check('http://[2606:4700::1111]/')).resolves.toBeUndefined();
  });

  it('refuses a name when any of its addresses is private, saying which', async () => {
    await expect(check('https://rebound.example/')).rejects.toThrow(
      /rebound\.example is a private or local network address \(10\.0\.0\.7\)/,
    );
    await expect(check('http://metadata.example/latest')).rejects.toBeInstanceOf(BlockedAddressError);
  });

  it('refuses private address literals in every spelling', async () => {
    for (const url of [
      'http://127.0.0.1:6379/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://0x7f.1/',
      'http://2130706433/',
    ]) {
      await expect(check(url), url).rejects.toBeInstanceOf(BlockedAddressError);
    }
  });

  it('lets a name that does not resolve through, for the fetch to fail with its own error', async () => {
    await expect(check('https://nowhere.example/')).resolves.toBeUndefined();
  });
});
