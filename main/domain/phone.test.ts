import { describe, expect, it } from 'vitest';
import { countryOfLocale, phoneSearchDigits, phoneText, readPhone } from './phone.js';

// "98450 12345" typed in the form, "+919845022222" from the import and
// "+91 9893152208" from the demo are one number format, found by any of its digits.
describe('phone numbers, one reading', () => {
  it('stores the ways people type one number as the same E.164', () => {
    for (const typed of ['98450 12345', '098450 12345', '+91 98450 12345', '+91-98450-12345', '(0)98450-12345', '9845012345', '0091 98450 12345']) {
      expect(readPhone(typed, 'IN'), typed).toEqual({ e164: '+919845012345' });
    }
    expect(readPhone('080 2345 6789', 'IN')).toEqual({ e164: '+918023456789' });
    expect(readPhone('+44 20 7946 0958', 'IN')).toEqual({ e164: '+442079460958' });
    expect(readPhone('(415) 555-2671', 'US')).toEqual({ e164: '+14155552671' });
  });

  it('refuses what cannot be a number of the tenant\'s country, saying why', () => {
    expect(readPhone('12345', 'IN')).toEqual({ error: '“12345” is not a possible phone number for India (IN) (5 digits): type it as it is dialled there, or with its country code (+91 …)' });
    expect('error' in readPhone('call me', 'IN')).toBe(true);
    expect('error' in readPhone('+91 12345', 'IN')).toBe(true);
    expect('error' in readPhone('00000 00000', 'IN')).toBe(true);
  });

  it('shows the tenant\'s country\'s numbers in its national format and others internationally', () => {
    expect(phoneText('+919845012345', 'IN')).toBe('98450 12345');
    expect(phoneText('+442079460958', 'IN')).toBe('+44 20 7946 0958');
    expect(phoneText('+442079460958', 'GB')).toBe('020 7946 0958');
    expect(phoneText('not a number', 'IN')).toBe('not a number');
    // What is shown is read back to the same number.
    expect(readPhone(phoneText('+919845012345', 'IN'), 'IN')).toEqual({ e164: '+919845012345' });
  });

  it('finds the digits to search for, whatever was typed', () => {
    expect(phoneSearchDigits('9845012345', 'IN')).toBe('9845012345');
    expect(phoneSearchDigits('98450 12345', 'IN')).toBe('9845012345');
    expect(phoneSearchDigits('+91 98450-12345', 'IN')).toBe('9845012345');
    expect(phoneSearchDigits('098450 12345', 'IN')).toBe('9845012345');
    expect(phoneSearchDigits('12345', 'IN')).toBe('12345');
    expect(phoneSearchDigits('Ravi', 'IN')).toBeNull();
    expect(phoneSearchDigits('98', 'IN')).toBeNull();
  });

  it('takes the tenant\'s country from its locale', () => {
    expect(countryOfLocale('en-IN')).toBe('IN');
    expect(countryOfLocale('de-DE')).toBe('DE');
    expect(countryOfLocale('en')).toBe('US');
  });
});
