export { productsMigrations, productStatuses, type ProductsTables, type ProductStatus } from './tables.js';
export { productsDataMap, productsProvider } from './personal-data.js';
export { createProductsService, type ProductsService, type ProductView, type ProductCard, type CompanyCard } from './service.js';
export { productsMessages } from './messages.js';
export { units, currencies, maxPriceTiers } from './schema.js';
export { productPages } from './pages.js';
export { productRoutes } from './routes.js';
export { catalogueModule } from './public-pages.js';
export { catalogueMessages } from './public-messages.js';
