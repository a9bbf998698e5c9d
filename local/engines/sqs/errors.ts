// SQS's errors: what every action throws and the wire protocol turns into SQS's error shape.

export class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly queryCode: string = type,
    readonly status = 400,
    readonly senderFault = true,
  ) {
    super(message);
    this.name = type;
  }
}

export const err = {
  noQueue: () =>
    new SqsError(
      'QueueDoesNotExist',
      'The specified queue does not exist.',
      'AWS.SimpleQueueService.NonExistentQueue',
    ),
  invalid: (message: string) => new SqsError('InvalidParameterValue', message),
  invalidValue: (name: string, value: unknown, reason: string) =>
    new SqsError(
      'InvalidParameterValue',
      `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`,
    ),
  missing: (name: string) =>
    new SqsError('MissingParameter', `The request must contain the parameter ${name}.`),
  attributeName: (name: string) => new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`),
  attributeValue: (name: string, value: string, reason: string) =>
    new SqsError(
      'InvalidAttributeValue',
      `Invalid value for the parameter ${name}. Reason: ${reason} (value: ${value})`,
    ),
  receiptHandle: (handle: string) =>
    new SqsError(
      'ReceiptHandleIsInvalid',
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
      'ReceiptHandleIsInvalid',
      404,
    ),
};
