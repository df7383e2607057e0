import { overdueInput, overdueInstalments } from '../../services/receivables.js';
import { demandInput, statementInput, demandLetterPdf, statementPdf } from '../../documents/documents.js';
import { customerService } from '../../services/customers.js';
import { customerLedgerInput, ledgerInput, reverseInput, createLedgerEntry, customerLedger, reverseLedgerEntry } from '../../services/ledger.js';
import { everyone, managers, refuse, visibleCustomer } from '../rules.js';
import { customerByCode, get, operation, post } from '../operation.js';
import { withId, createRecord, getRecord, listRecords, updateRecord } from './shapes.js';

// Customers and their money (SPEC §3, §5, §10): the customer, the ledger, overdue
// instalments, and the documents (a statement, a demand letter).

export const customerOperations = {
  'customers.create': createRecord(customerService, 'customers', everyone),
  'customers.list': listRecords(customerService, 'customers'),
  'customers.get': getRecord(customerService, 'customers', { byCode: customerByCode('id') }),
  // A customer's details (a corrected phone or address): a rep's only where they see the customer.
  'customers.update': updateRecord(customerService, 'customers', { who: 'everyone', rep: visibleCustomer('id') }, { byCode: customerByCode('id') }),
  'receivables.overdue': operation({ input: overdueInput, who: everyone, reads: true, run: (s, input) => overdueInstalments.parsed(s.ctx, input), routes: [get('receivables/overdue')] }),
  'documents.statement': operation({
    input: statementInput,
    who: everyone,
    reads: true,
    document: true,
    byCode: customerByCode('customer_id'),
    run: (s, input) => statementPdf.parsed(s.ctx, input),
    routes: [get('customers/:customer_id/statement')],
  }),
  'documents.demandLetter': operation({
    input: demandInput,
    who: everyone,
    reads: true,
    document: true,
    run: (s, input) => demandLetterPdf.parsed(s.ctx, input),
    routes: [get('bookings/:booking_id/demand-letter')],
  }),
  'ledger.create': operation({
    input: ledgerInput,
    creates: true,
    who: {
      who: 'everyone',
      // Anyone records a payment; every other entry moves money a manager answers for.
      rep: (s, input) => {
        if (input.transaction_type !== 'payment') throw refuse('a sales rep may record payments only', 'transaction_type', 'must be payment for a sales rep; other entries are a manager\'s');
        return visibleCustomer('customer_id')(s, input);
      },
    },
    run: (s, input) => createLedgerEntry.parsed(s.ctx, input),
    routes: [post('ledger')],
  }),
  'ledger.customer': operation({
    input: customerLedgerInput,
    who: everyone,
    reads: true,
    byCode: customerByCode('customer_id'),
    run: (s, input) => customerLedger.parsed(s.ctx, input),
    routes: [get('ledger/:customer_id')],
  }),
  'ledger.reverse': operation({
    input: withId(reverseInput),
    creates: true,
    who: managers,
    said: 'reverse ledger entries',
    run: (s, { id, ...body }) => reverseLedgerEntry.parsed(s.ctx, id, body),
    routes: [post('ledger/:id/reverse')],
  }),
};
