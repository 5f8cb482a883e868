// The `ca` command's Windows lines name a Windows path, whichever machine prints them.
import { describe, expect, it } from 'vitest';
import { trustInstructions } from '../../src/commands/ca.js';

describe('ca trust instructions', () => {
  it('on Linux, tells the admin to copy the certificate to the Windows server and names a Windows path', () => {
    const text = trustInstructions('/home/admin/.config/oauth-inspect/ca/certs/ca.pem', 'linux');
    const windows = text.slice(text.indexOf('Windows'), text.indexOf('macOS:'));
    expect(windows).toContain('copy /home/admin/.config/oauth-inspect/ca/certs/ca.pem to the Windows server as C:\\temp\\oauth-inspect-ca.cer');
    expect(windows).toContain('certutil -addstore -f Root C:\\temp\\oauth-inspect-ca.cer');
    expect(windows).toContain('Import-Certificate -FilePath C:\\temp\\oauth-inspect-ca.cer -CertStoreLocation Cert:\\LocalMachine\\Root');
    expect(windows.split('\n').filter((line) => line.includes('certutil')).join('')).not.toContain('/home/admin');
    // The other platforms keep this machine's path.
    expect(text).toContain('--cacert /home/admin/.config/oauth-inspect/ca/certs/ca.pem');
  });

  it('on Windows, uses the certificate where it is, quoted when the path has a space', () => {
    const text = trustInstructions('C:\\Users\\Jane Admin\\AppData\\Roaming\\oauth-inspect\\ca\\certs\\ca.pem', 'win32');
    expect(text).toContain('certutil -addstore -f Root "C:\\Users\\Jane Admin\\AppData\\Roaming\\oauth-inspect\\ca\\certs\\ca.pem"');
    expect(text).not.toContain('copy ');
  });
});
