import { describe, expect, it } from 'vitest';
import { ApiError, NETWORK_MESSAGE } from '../api/api-client';
import { authErrorText } from './auth-error-text';

describe('authErrorText', () => {
  it('names the field once, with the form’s label', () => {
    expect(authErrorText(new ApiError(400, 'invalid_field', 'password: must be at least 10 characters', 'password'))).toBe('Password: must be at least 10 characters');
    expect(authErrorText(new ApiError(400, 'invalid_field', 'email: must be an email address such as name@studio.com', 'email'))).toBe('Email: must be an email address such as name@studio.com');
  });

  it('keeps the server’s sentence when no field is named, and says network failures in words', () => {
    expect(authErrorText(new ApiError(401, 'unauthorized', 'That email and password do not match an account. Check both and try again.'))).toBe(
      'That email and password do not match an account. Check both and try again.',
    );
    expect(authErrorText(new ApiError(0, 'network', NETWORK_MESSAGE))).toBe(NETWORK_MESSAGE);
  });
});
