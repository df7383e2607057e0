import { overdueInstalments } from '../../services/receivables.js';
import { demandLetterPdf, statementPdf } from '../../documents/documents.js';
import { customerService } from '../../services/customers.js';
import { createLedgerEntry, customerLedger, reverseLedgerEntry } from '../../services/ledger.js';
import { everyone, managers, refuse, visibleCustomer } from '../rules.js';
import { bookingByCode, customerByCode, get, ledgerByCode, post } from '../operation.js';
import { createRecord, getRecord, listRecords, reads, runs, runsOn, updateRecord } from './shapes.js';

// Customers and their money (SPEC §3, §5, §10): the customer, the ledger, overdue
// instalments, and the documents (a statement, a demand letter).

export const customerOperations = {
  'customers.create': createRecord(customerService, 'customers', everyone),
  'customers.list': listRecords(customerService, 'customers'),
  'customers.get': getRecord(customerService, 'customers', { byCode: customerByCode('id') }),
  // A customer's details (a corrected phone or address): a rep's only where they see the customer.
  'customers.update': updateRecord(customerService, 'customers', { who: 'everyone', rep: visibleCustomer('id') }, { byCode: customerByCode('id') }),
  'receivables.overdue': reads(overdueInstalments, get('receivables/overdue')),
  'documents.statement': reads(statementPdf, get('customers/:customer_id/statement'), { document: true, byCode: customerByCode('customer_id') }),
  'documents.demandLetter': reads(demandLetterPdf, get('bookings/:booking_id/demand-letter'), { document: true, byCode: bookingByCode('booking_id') }),
  'ledger.create': runs(createLedgerEntry, post('ledger'), {
    creates: true,
    who: {
      who: 'everyone',
      // Anyone records a payment; every other entry moves money a manager answers for.
      rep: (s, input) => {
        if (input.transaction_type !== 'payment') throw refuse('a sales rep may record payments only', 'transaction_type', 'must be payment for a sales rep; other entries are a manager\'s');
        return visibleCustomer('customer_id')(s, input);
      },
    },
  }),
  'ledger.customer': reads(customerLedger, get('ledger/:customer_id'), { byCode: customerByCode('customer_id') }),
  'ledger.reverse': runsOn(reverseLedgerEntry, post('ledger/:id/reverse'), { creates: true, who: managers, said: 'reverse ledger entries', byCode: ledgerByCode('id') }),
};
