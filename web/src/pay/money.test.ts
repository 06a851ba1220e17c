import { describe, expect, it } from 'vitest';

import {
  basisPointsInput,
  currencyExponent,
  formatBasisPoints,
  formatMoney,
  formatRate,
  isCurrencyCode,
  minorToDecimal,
  moneyInput,
  parseBasisPoints,
  parseMoney,
  parseSignedMoney,
} from './money';

describe('money', () => {
  it('knows the minor unit of each currency', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('eur')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('writes minor units as exact decimal text', () => {
    expect(minorToDecimal(123450, 'USD')).toBe('1234.50');
    expect(minorToDecimal(5, 'USD')).toBe('0.05');
    expect(minorToDecimal(-1205, 'EUR')).toBe('-12.05');
    expect(minorToDecimal(1500, 'JPY')).toBe('1500');
    expect(minorToDecimal(1, 'KWD')).toBe('0.001');
    // Beyond what a double holds in cents after a division, still exact.
    expect(minorToDecimal(900719925474099, 'USD')).toBe('9007199254740.99');
  });

  it('formats with the currency through Intl', () => {
    expect(formatMoney(123450, 'USD', 'en-US')).toBe('$1,234.50');
    expect(formatMoney(10000, 'EUR', 'de-DE')).toBe('100,00\u00a0€');
    expect(formatMoney(1500, 'JPY', 'en-US')).toBe('¥1,500');
    expect(formatMoney(-5, 'USD', 'en-US')).toBe('-$0.05');
    expect(formatMoney(900719925474099, 'USD', 'en-US')).toBe('$9,007,199,254,740.99');
    expect(formatRate(10000, 'USD', 'en-US')).toBe('$100.00 an hour');
  });

  it('reads an amount as typed, refusing what is not one', () => {
    expect(parseMoney('12.5', 'USD')).toBe(1250);
    expect(parseMoney(' 1,234.50 ', 'USD')).toBe(123450);
    expect(parseMoney('12,50', 'EUR')).toBe(1250);
    expect(parseMoney('1,234', 'USD')).toBe(123400);
    expect(parseMoney('100', 'USD')).toBe(10000);
    expect(parseMoney('0.1', 'USD')).toBe(10);
    expect(parseMoney('1500', 'JPY')).toBe(1500);
    expect(parseMoney('1.5', 'JPY')).toBeNull();
    expect(parseMoney('1.005', 'USD')).toBeNull();
    expect(parseMoney('-3', 'USD')).toBeNull();
    expect(parseMoney('abc', 'USD')).toBeNull();
    expect(parseMoney('', 'USD')).toBeNull();
    expect(parseMoney('1e3', 'USD')).toBeNull();
  });

  it('reads a signed amount, with a hyphen or a minus sign', () => {
    expect(parseSignedMoney('12.50', 'USD')).toBe(1250);
    expect(parseSignedMoney('+12.50', 'USD')).toBe(1250);
    expect(parseSignedMoney('-12.50', 'USD')).toBe(-1250);
    expect(parseSignedMoney(' − 7,5 ', 'EUR')).toBe(-750);
    expect(parseSignedMoney('-1,234.56', 'USD')).toBe(-123456);
    expect(parseSignedMoney('-300', 'JPY')).toBe(-300);
    expect(parseSignedMoney('-1.5', 'JPY')).toBeNull();
    expect(parseSignedMoney('--1', 'USD')).toBeNull();
    expect(parseSignedMoney('-', 'USD')).toBeNull();
    expect(parseSignedMoney('1-', 'USD')).toBeNull();
    expect(parseSignedMoney('', 'USD')).toBeNull();
  });

  it('round-trips what a form shows', () => {
    for (const minor of [0, 1, 99, 100, 12345, 9999999]) expect(parseMoney(moneyInput(minor, 'USD'), 'USD')).toBe(minor);
    expect(moneyInput(null, 'USD')).toBe('');
  });

  it('reads and writes a markup in basis points', () => {
    expect(formatBasisPoints(2500)).toBe('25%');
    expect(formatBasisPoints(1250)).toBe('12.5%');
    expect(formatBasisPoints(1234)).toBe('12.34%');
    expect(formatBasisPoints(5)).toBe('0.05%');
    expect(parseBasisPoints('25')).toBe(2500);
    expect(parseBasisPoints('12.5%')).toBe(1250);
    expect(parseBasisPoints('0,05')).toBe(5);
    expect(parseBasisPoints('12.345')).toBeNull();
    expect(parseBasisPoints('-1')).toBeNull();
    expect(basisPointsInput(1250)).toBe('12.5');
    expect(basisPointsInput(null)).toBe('');
  });

  it('checks a currency code', () => {
    expect(isCurrencyCode('USD')).toBe(true);
    expect(isCurrencyCode('usd')).toBe(false);
    expect(isCurrencyCode('US')).toBe(false);
  });
});
