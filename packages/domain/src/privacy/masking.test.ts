import { describe, expect, it } from 'vitest';
import { maskAddress, maskEmail, maskIdentity, maskIdNumber, maskName, maskPhone } from './masking.ts';

describe('masking', () => {
  it('masks a mainland mobile as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('masks a landline keeping only the edges', () => {
    expect(maskPhone('95598')).toBe('***98');
    expect(maskPhone('0971123456')).toBe('09******56');
  });
  it('hides the birth date inside an 18-digit ID number', () => {
    expect(maskIdNumber('630102198001011234')).toBe('630102********1234');
  });
  it('keeps the email domain', () => {
    expect(maskEmail('zhang.san@example.cn')).toBe('z***@example.cn');
  });
  it('keeps the family name', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('李');
  });
  it('keeps the district of an address', () => {
    expect(maskAddress('西宁市城中区南大街12号3单元')).toBe('西宁市城中区****');
  });
  it('leaves meter numbers readable and masks phones by kind', () => {
    expect(maskIdentity('meter', '6300012345')).toBe('6300012345');
    expect(maskIdentity('phone', '13912345678')).toBe('139****5678');
  });
});
