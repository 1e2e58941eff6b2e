// Amounts of money as the status page writes them, on the server (the cost's explanation) and in the
// browser (the cost tile) alike: the currency's code, then the amount in the currency's own minor units
// (JPY 1,234; USD 12.34). Prices keep the digits the policy gave them (JPY 4.7 an hour).

/** An amount: `JPY 1,234`, `USD 12.34`. */
export function formatAmount(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'code' }).format(amount).replace(/\u00a0/g, ' ');
  } catch {
    // Not a currency Intl knows: the policy's code and two decimals.
    return `${currency} ${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  }
}

/** A price per hour as the policy states it: `JPY 4.7/h`. */
export function formatPrice(price: number, currency: string): string {
  return `${currency} ${price.toLocaleString('en-US', { maximumFractionDigits: 4 })}/h`;
}

/** A share in whole percent: `39%`. */
export function formatPercent(percent: number): string {
  return `${Math.round(percent)}%`;
}
