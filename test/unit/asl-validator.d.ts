/** asl-validator v4 ships no type declarations; this is the part of its API the unit tests use. */
declare module 'asl-validator' {
  export interface AslValidationError {
    'Error code': string;
    Message?: string;
    message?: string;
    path?: string;
  }
  export interface AslValidationResult {
    isValid: boolean;
    errors: AslValidationError[];
    errorsText: (separator?: string) => string;
  }
  export default function validator(definition: unknown, options?: { checkPaths?: boolean; checkArn?: boolean }): AslValidationResult;
}
